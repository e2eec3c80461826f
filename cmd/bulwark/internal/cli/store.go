package cli

type storeConfig struct {
	// Path is the SQLite file. If empty, "bulwark.db".
	Path string `yaml:"path"`
	// Redis, when set, shares bans, rate counters, scenario buckets and
	// the account watch's state with the other gateways using it
	// (docs/fleet.md). If empty, every gateway keeps its state in its own
	// SQLite file.
	Redis redisConfig `yaml:"redis"`
}
