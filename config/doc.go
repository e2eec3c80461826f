// Package config decodes Bulwark's YAML configuration strictly: unknown keys,
// wrong types and bad values are errors that name the file, the line, the key
// path and what to do, and ${ENV} references are expanded so secrets can stay
// out of the file.
//
// It knows nothing of Bulwark's sections: each stage owns its Config struct
// (with yaml tags and a Validate method), and the file's top-level schema is
// assembled by the caller. Rules the decoder applies to every struct:
//
//   - keys are matched exactly against the yaml tags; a key that matches no
//     field is an error with the nearest known key as a hint;
//   - a time.Duration accepts Go durations plus days ("10s", "1h30m", "365d");
//     a bare integer is seconds (as Helmet's maxAge is);
//   - a []T accepts a single value as a one-element list;
//   - a struct with a bool field tagged `yaml:"disable"` may be written as
//     `false` (short for {disable: true}) or `true` (its defaults);
//   - after a struct is decoded its Validate method, if any, is called; an
//     error carrying a Field() string method is reported at that key's line
//     (see [Field]).
package config
