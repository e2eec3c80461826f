// Command bulwark makes a web application harder to attack: a security
// gateway in front of it, and the tools around it. Run "bulwark --help".
package main

import (
	"context"
	"os"

	"github.com/bulwark-sec/bulwark/cmd/bulwark/internal/cli"
)

func main() {
	os.Exit(cli.Main(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
