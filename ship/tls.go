package ship

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
)

// clientTLS builds the client TLS settings; host is the default server name.
func clientTLS(c *TLSConfig, host string) (*tls.Config, error) {
	if c == nil || c.Disable {
		return nil, nil
	}
	t := &tls.Config{
		MinVersion:         tls.VersionTLS12,
		ServerName:         c.ServerName,
		InsecureSkipVerify: c.InsecureSkipVerify,
	}
	if t.ServerName == "" {
		t.ServerName = host
	}
	if c.CAFile != "" {
		pem, err := os.ReadFile(c.CAFile)
		if err != nil {
			return nil, fmt.Errorf("tls.caFile: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("tls.caFile: %s holds no PEM certificate", c.CAFile)
		}
		t.RootCAs = pool
	}
	return t, nil
}
