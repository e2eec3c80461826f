package watch

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/bulwark-sec/bulwark/config"
)

// Config is the watch: section of bulwark.yaml: the logs to follow.
type Config struct {
	// Sources are the logs. If empty, nothing is watched.
	Sources []Source `yaml:"sources"`
	// Firewall applies bans at the host's firewall.
	Firewall FirewallConfig `yaml:"firewall"`
}

// A Source is one log and how to read it.
type Source struct {
	// Name names the source in events (labels.source). If empty, the preset.
	Name string `yaml:"name"`
	// Path is the log file, e.g. /var/log/auth.log. Either Path or Journal.
	Path string `yaml:"path"`
	// Journal is a systemd unit whose journal is followed, e.g. "ssh.service".
	Journal string `yaml:"journal"`
	// Preset is the parser: "ssh", "vsftpd", "proftpd" or "generic".
	Preset string `yaml:"preset"`
	// Service is event service.name. If empty, "ssh" for the ssh preset,
	// "ftp" for the FTP ones, else the source's name.
	Service string `yaml:"service"`
	// Failure and Success are the generic preset's patterns: RE2 regular
	// expressions with a group (?P<ip>…) and optionally (?P<user>…).
	Failure string `yaml:"failure"`
	Success string `yaml:"success"`
	// FromStart reads a file from its beginning the first time it is seen.
	// If false, only lines written from then on are read.
	FromStart bool `yaml:"fromStart"`
}

// Validate checks every source, building its parser once to report bad
// patterns at load time.
func (c Config) Validate() error {
	var errs []error
	names := map[string]bool{}
	for i, s := range c.Sources {
		at := "sources[" + strconv.Itoa(i) + "]"
		if _, err := s.parser(); err != nil {
			errs = append(errs, config.Within(at, err))
			continue
		}
		if (s.Path == "") == (s.Journal == "") {
			errs = append(errs, config.Field(at, errors.New("give either path (a log file) or journal (a systemd unit)")))
		}
		if names[s.name()] {
			errs = append(errs, config.Field(at+".name", fmt.Errorf("%q is used twice: give each source its own name", s.name())))
		}
		names[s.name()] = true
	}
	if err := c.Firewall.Validate(); err != nil {
		errs = append(errs, config.Within("firewall", err))
	}
	return errors.Join(errs...)
}

func (s Source) name() string {
	if s.Name != "" {
		return s.Name
	}
	return s.Preset
}

func (s Source) service() string {
	switch {
	case s.Service != "":
		return s.Service
	case s.Preset == "ssh":
		return "ssh"
	case s.Preset == "vsftpd" || s.Preset == "proftpd":
		return "ftp"
	}
	return s.name()
}

// parser builds the source's parser.
func (s Source) parser() (Parser, error) {
	switch s.Preset {
	case "ssh":
		return &SSH{}, nil
	case "vsftpd":
		return VSFTPD{}, nil
	case "proftpd":
		return ProFTPD{}, nil
	case "generic":
		return NewGeneric(s.Failure, s.Success)
	case "":
		return nil, config.Field("preset", errors.New(`missing: one of ssh, vsftpd, proftpd, generic`))
	}
	return nil, config.Field("preset", fmt.Errorf("unknown preset %q: one of ssh, vsftpd, proftpd, generic", s.Preset))
}
