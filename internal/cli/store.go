package cli

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/bulwark-sec/bulwark/config"
)

type storeConfig struct {
	// Path is the SQLite file. If empty, "bulwark.db".
	Path string `yaml:"path"`
	// Redis, when its address is set, shares bans and rate counters with
	// the other gateways using the same server. If empty, every gateway
	// keeps its state in its own SQLite file.
	Redis redisConfig `yaml:"redis"`
}

type redisConfig struct {
	// Address is the server's host:port. If empty, no Redis.
	Address string `yaml:"address"`
	// Username and Password authenticate (Redis 6 ACLs); both optional.
	Username string        `yaml:"username"`
	Password config.Secret `yaml:"password"`
	// DB is the database number. If zero, 0.
	DB int `yaml:"db"`
	// TLS connects with TLS, verifying the server against the system roots.
	TLS bool `yaml:"tls"`
}

func (c redisConfig) Validate() error {
	if c.Address == "" {
		return nil
	}
	if _, _, err := net.SplitHostPort(c.Address); err != nil {
		return config.Field("address", fmt.Errorf("want host:port, e.g. 127.0.0.1:6379, got %q", c.Address))
	}
	if c.DB < 0 || c.DB > 15 {
		return config.Field("db", errors.New("must be between 0 and 15"))
	}
	return nil
}

// redisLogger sends go-redis's own messages (a dial failure per attempt
// while the server is away) to debug level: the stages log an outage once.
type redisLogger struct{ log *slog.Logger }

func (l redisLogger) Printf(ctx context.Context, format string, v ...any) {
	l.log.LogAttrs(ctx, slog.LevelDebug, "redis", slog.String("message", fmt.Sprintf(format, v...)))
}

// openRedis returns a client for the configured server, nil when none is.
// The client connects lazily: a server that is down at start is the
// stages' to notice and wait for, never a reason not to start.
func openRedis(c redisConfig, log *slog.Logger) *redis.Client {
	if c.Address == "" {
		return nil
	}
	redis.SetLogger(redisLogger{log})
	opts := &redis.Options{
		Addr: c.Address, Username: c.Username, Password: c.Password.Reveal(), DB: c.DB,
		DialTimeout: 2 * time.Second, ReadTimeout: time.Second, WriteTimeout: time.Second,
		PoolTimeout: time.Second, MaxRetries: 1, ContextTimeoutEnabled: true,
	}
	if c.TLS {
		host, _, _ := net.SplitHostPort(c.Address)
		opts.TLSConfig = &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
	}
	return redis.NewClient(opts)
}

// pingRedis reports whether the server answers, for a log line at start.
func pingRedis(ctx context.Context, c *redis.Client) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	return c.Ping(ctx).Err()
}
