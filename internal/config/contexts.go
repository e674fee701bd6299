package config

// Context is one named context of a config file (contexts:): a cluster or
// environment with its own sources, actions and thresholds.
type Context struct {
	Name string
	// Color is the colour the context's name is drawn in: a colour name
	// or #rrggbb from the context's color key, else by convention (red
	// for a name that says production).
	Color string
	// Config is the whole config the context runs with: the file's top
	// level with the context's own keys laid over it. Its ContextName and
	// ContextColor are set.
	Config *Config
}
