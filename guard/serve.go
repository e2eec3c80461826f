package guard

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// Serve answers the public listener with the gateway and the admin listener
// with AdminHandler(token) until ctx is done; then it stops accepting,
// lets in-flight requests finish for up to Server.ShutdownTimeout, and
// returns. It returns early with an error if a listener fails. The public
// listener holds at most Server.MaxConnsPerClient connections of each
// client (see [connLimiter]).
func (g *Gateway) Serve(ctx context.Context, public, admin net.Listener, token string) error {
	s := g.cfg.Server
	errLog := slog.NewLogLogger(g.log.Handler(), slog.LevelDebug)
	pub := &http.Server{
		Handler:           g,
		ReadHeaderTimeout: s.ReadHeaderTimeout,
		ReadTimeout:       s.ReadTimeout,
		WriteTimeout:      s.WriteTimeout,
		IdleTimeout:       s.IdleTimeout,
		MaxHeaderBytes:    int(s.MaxHeaderBytes),
		ErrorLog:          errLog,
	}
	adm := &http.Server{
		Handler:           g.AdminHandler(token),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		ErrorLog:          errLog,
	}
	if s.MaxConnsPerClient > 0 {
		public = newConnLimiter(public, s.MaxConnsPerClient, g.resolver.Trusted, g.connsRefused, g.log)
	}
	errc := make(chan error, 2)
	go func() { errc <- serve(pub, public, "public") }()
	go func() { errc <- serve(adm, admin, "admin") }()

	var err error
	select {
	case <-ctx.Done():
	case err = <-errc:
	}
	g.log.LogAttrs(context.Background(), slog.LevelInfo, "shutting down", slog.Duration("grace", s.ShutdownTimeout))
	sctx, cancel := context.WithTimeout(context.Background(), s.ShutdownTimeout)
	defer cancel()
	if serr := pub.Shutdown(sctx); serr != nil {
		err = errors.Join(err, fmt.Errorf("draining public listener: %w", serr))
		pub.Close()
	}
	adm.Close()
	return err
}

func serve(srv *http.Server, l net.Listener, name string) error {
	if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("%s listener: %w", name, err)
	}
	return nil
}
