package emulator

// Row is a settings row as tests see it.
type Row struct{ Env, Current string }

// SettingRows lists the settings table over c.
func SettingRows(c *Config) []Row {
	var out []Row
	for _, s := range settings(c) {
		out = append(out, Row{s.env, s.val.String()})
	}
	return out
}
