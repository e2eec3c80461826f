package cli

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"time"
	"unicode/utf8"

	"github.com/redis/go-redis/v9"

	"github.com/bulwark-sec/bulwark/config"
)

// redisConfig is store.redis: one server (address), a Sentinel-watched
// master (sentinel) or a Cluster (cluster). Set one of the three.
type redisConfig struct {
	// Address is a standalone server's host:port. If empty with neither
	// sentinel nor cluster, no Redis.
	Address string `yaml:"address"`
	// Sentinel finds the master through Redis Sentinel and follows its
	// failovers.
	Sentinel *sentinelConfig `yaml:"sentinel"`
	// Cluster lists some of a Redis Cluster's nodes (host:port); the rest
	// are discovered.
	Cluster []string `yaml:"cluster"`
	// Username and Password authenticate (Redis 6 ACLs); both optional.
	Username string        `yaml:"username"`
	Password config.Secret `yaml:"password"`
	// DB is the database number. If zero, 0; a Cluster has only 0.
	DB int `yaml:"db"`
	// TLS connects with TLS, verifying the server against the system roots,
	// or against CAFile when set.
	TLS bool `yaml:"tls"`
	// CAFile is a PEM file of the CA that signed the servers' certificates.
	CAFile string `yaml:"caFile"`
	// Prefix starts every key, so several fleets can share one Redis. If
	// empty, "bulwark".
	Prefix string `yaml:"prefix"`
	// Name is this gateway's name in the fleet's console (observer.name
	// of its events). If empty, the host's name.
	Name string `yaml:"name"`
}

// sentinelConfig is store.redis.sentinel.
type sentinelConfig struct {
	// Master is the name the sentinels monitor, e.g. "mymaster". Required.
	Master string `yaml:"master"`
	// Addresses are sentinels' host:port. At least one.
	Addresses []string `yaml:"addresses"`
	// Username and Password authenticate to the sentinels, when they
	// need it; the servers use store.redis.username and password.
	Username string        `yaml:"username"`
	Password config.Secret `yaml:"password"`
}

// enabled reports whether a Redis is configured.
func (c redisConfig) enabled() bool {
	return c.Address != "" || c.Sentinel != nil || len(c.Cluster) > 0
}

func (c redisConfig) Validate() error {
	var errs []error
	modes := 0
	for _, on := range []bool{c.Address != "", c.Sentinel != nil, len(c.Cluster) > 0} {
		if on {
			modes++
		}
	}
	if modes > 1 {
		errs = append(errs, errors.New("set one of address, sentinel and cluster"))
	}
	if c.Address != "" {
		errs = append(errs, config.Field("address", hostPort(c.Address)))
	}
	if s := c.Sentinel; s != nil {
		if s.Master == "" {
			errs = append(errs, config.Field("sentinel.master", errors.New("required: the name the sentinels monitor, e.g. mymaster")))
		}
		if len(s.Addresses) == 0 {
			errs = append(errs, config.Field("sentinel.addresses", errors.New("list at least one sentinel's host:port, e.g. 127.0.0.1:26379")))
		}
		for i, a := range s.Addresses {
			errs = append(errs, config.Field(fmt.Sprintf("sentinel.addresses[%d]", i), hostPort(a)))
		}
	}
	for i, a := range c.Cluster {
		errs = append(errs, config.Field(fmt.Sprintf("cluster[%d]", i), hostPort(a)))
	}
	if c.DB < 0 || c.DB > 15 {
		errs = append(errs, config.Field("db", errors.New("must be between 0 and 15")))
	} else if c.DB != 0 && len(c.Cluster) > 0 {
		errs = append(errs, config.Field("db", errors.New("a Redis Cluster has only database 0: remove db")))
	}
	if c.CAFile != "" && !c.TLS {
		errs = append(errs, config.Field("caFile", errors.New("set tls: true too, or remove caFile")))
	}
	if len(c.Prefix) > 64 {
		errs = append(errs, config.Field("prefix", fmt.Errorf("at most 64 characters, got %d", len(c.Prefix))))
	}
	for _, r := range c.Prefix {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			errs = append(errs, config.Field("prefix", fmt.Errorf("use letters, digits, '-', '_' and '.' only, got %q", c.Prefix)))
			break
		}
	}
	if len(c.Name) > 64 {
		errs = append(errs, config.Field("name", fmt.Errorf("at most 64 characters, got %d", len(c.Name))))
	}
	for _, r := range c.Name {
		if r < ' ' || r == 0x7f || !utf8.ValidRune(r) || r == utf8.RuneError {
			errs = append(errs, config.Field("name", fmt.Errorf("use printable characters only, got %q", c.Name)))
			break
		}
	}
	return errors.Join(errs...)
}

// gatewayName is this gateway's name in the fleet: name, or the host's.
func (c redisConfig) gatewayName() string {
	if c.Name != "" {
		return c.Name
	}
	if h, err := os.Hostname(); err == nil && h != "" {
		return h
	}
	return "bulwark"
}

func hostPort(a string) error {
	if h, p, err := net.SplitHostPort(a); err != nil || h == "" || p == "" {
		return fmt.Errorf("want host:port, e.g. 127.0.0.1:6379, got %q", a)
	}
	return nil
}

// prefix is the keys' prefix, defaults applied.
func (c redisConfig) prefix() string {
	if c.Prefix == "" {
		return "bulwark"
	}
	return c.Prefix
}

// describe names the server(s) for log lines.
func (c redisConfig) describe() string {
	switch {
	case c.Sentinel != nil:
		return "sentinel master " + c.Sentinel.Master
	case len(c.Cluster) > 0:
		return "cluster " + c.Cluster[0]
	}
	return c.Address
}

// redisLogger sends go-redis's own messages (a dial failure per attempt
// while the server is away) to debug level: the stages log an outage once.
type redisLogger struct{ log *slog.Logger }

func (l redisLogger) Printf(ctx context.Context, format string, v ...any) {
	l.log.LogAttrs(ctx, slog.LevelDebug, "redis", slog.String("message", fmt.Sprintf(format, v...)))
}

// openRedis returns a client for the configured server(s), nil when none
// is. The client connects lazily: a server that is down at start is the
// stages' to notice and wait for, never a reason not to start.
func openRedis(c redisConfig, log *slog.Logger) (redis.UniversalClient, error) {
	if !c.enabled() {
		return nil, nil
	}
	redis.SetLogger(redisLogger{log})
	opts := &redis.UniversalOptions{
		Username: c.Username, Password: c.Password.Reveal(), DB: c.DB,
		DialTimeout: 2 * time.Second, ReadTimeout: time.Second, WriteTimeout: time.Second,
		PoolTimeout: time.Second, MaxRetries: 1, ContextTimeoutEnabled: true,
	}
	switch {
	case c.Sentinel != nil:
		opts.MasterName, opts.Addrs = c.Sentinel.Master, c.Sentinel.Addresses
		opts.SentinelUsername, opts.SentinelPassword = c.Sentinel.Username, c.Sentinel.Password.Reveal()
	case len(c.Cluster) > 0:
		opts.Addrs, opts.IsClusterMode = c.Cluster, true
	default:
		opts.Addrs = []string{c.Address}
	}
	if c.TLS {
		tc := &tls.Config{MinVersion: tls.VersionTLS12}
		if c.Address != "" {
			tc.ServerName, _, _ = net.SplitHostPort(c.Address)
		}
		if c.CAFile != "" {
			pem, err := os.ReadFile(c.CAFile)
			if err != nil {
				return nil, fmt.Errorf("store.redis.caFile: %w", err)
			}
			tc.RootCAs = x509.NewCertPool()
			if !tc.RootCAs.AppendCertsFromPEM(pem) {
				return nil, fmt.Errorf("store.redis.caFile: %s holds no PEM certificate", c.CAFile)
			}
		}
		opts.TLSConfig = tc
	}
	return redis.NewUniversalClient(opts), nil
}

// pingRedis reports whether the server answers, for a log line at start.
// On a Cluster it pings every master, so that the map of slots is loaded
// and a connection to each shard open before the first count, which is
// bounded by a short timeout.
func pingRedis(ctx context.Context, c redis.UniversalClient) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if cc, ok := c.(*redis.ClusterClient); ok {
		return cc.ForEachMaster(ctx, func(ctx context.Context, n *redis.Client) error { return n.Ping(ctx).Err() })
	}
	return c.Ping(ctx).Err()
}
