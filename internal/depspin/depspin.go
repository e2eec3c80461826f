// Package depspin pins the modules that packages under construction import,
// so that parallel work does not race on go.mod. Removed once they are used.
package depspin

import (
	_ "github.com/chromedp/chromedp"
	_ "github.com/emersion/go-smtp"
	_ "github.com/leodido/go-syslog/v4/rfc5424"
	_ "github.com/redis/go-redis/v9"
	_ "github.com/wneessen/go-mail"
	_ "golang.org/x/crypto/bcrypt"
	_ "golang.org/x/crypto/argon2"
	_ "golang.org/x/crypto/ssh"
	_ "golang.org/x/mod/semver"
	_ "golang.org/x/mod/modfile"
	_ "golang.org/x/mod/module"
)
