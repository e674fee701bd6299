package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Resolve finds the config file: the --config flag, else $MLTOP_CONFIG, else
// $XDG_CONFIG_HOME/mltop/config.yaml ($HOME/.config when XDG_CONFIG_HOME is
// unset or relative, as the XDG spec says). A flag or variable naming a file
// that does not exist is an error. When the default location holds no file,
// found is false and path is where one would go ("" if no home is known).
func Resolve(flagPath string, getenv func(string) string) (path string, found bool, err error) {
	getenv = envOrEmpty(getenv)
	if flagPath != "" {
		return explicit(flagPath, "--config")
	}
	if p := getenv("MLTOP_CONFIG"); p != "" {
		return explicit(p, "$MLTOP_CONFIG")
	}
	dir := getenv("XDG_CONFIG_HOME")
	if !filepath.IsAbs(dir) {
		home := getenv("HOME")
		if home == "" {
			return "", false, nil
		}
		dir = filepath.Join(home, ".config")
	}
	path = filepath.Join(dir, "mltop", "config.yaml")
	switch info, err := os.Stat(path); {
	case errors.Is(err, fs.ErrNotExist):
		return path, false, nil
	case err != nil:
		return path, false, fmt.Errorf("config file %s: %w", path, err)
	case info.IsDir():
		return path, false, fmt.Errorf("config file %s: is a directory", path)
	}
	return path, true, nil
}

// explicit checks a path the user named.
func explicit(path, from string) (string, bool, error) {
	switch info, err := os.Stat(path); {
	case errors.Is(err, fs.ErrNotExist):
		return path, false, fmt.Errorf("config file %s (from %s) does not exist", path, from)
	case err != nil:
		return path, false, fmt.Errorf("config file %s (from %s): %w", path, from, err)
	case info.IsDir():
		return path, false, fmt.Errorf("config file %s (from %s) is a directory", path, from)
	}
	return path, true, nil
}
