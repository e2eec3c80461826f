//go:build tools

package main
import (
 _ "github.com/spf13/cobra"
 _ "gopkg.in/yaml.v3"
 _ "modernc.org/sqlite"
 _ "github.com/prometheus/client_golang/prometheus"
 _ "github.com/prometheus/client_golang/prometheus/promhttp"
 _ "github.com/google/go-cmp/cmp"
 _ "github.com/rogpeppe/go-internal/testscript"
)
