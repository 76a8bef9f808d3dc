// zerolog 1.26 (Debian golang-github-rs-zerolog-dev) with its defaults: "time" in RFC 3339 to the second, the
// message last. The usage is AI21's Jamba chat completion usage (prompt_tokens, completion_tokens, total_tokens).
package main

import (
	"os"

	"github.com/rs/zerolog"
)

func main() {
	log := zerolog.New(os.Stdout).With().Timestamp().Str("service", "summariser").Logger()
	log.Info().Msg("started")
	log.Info().Str("provider", "ai21").Str("model", "jamba-1.5-large").
		Dict("usage", zerolog.Dict().Int("prompt_tokens", 3021).Int("completion_tokens", 145).Int("total_tokens", 3166)).
		Float64("cost_usd", 0.007202).Msg("token_usage")
	log.Error().Str("table", "token_usage").Msg("permission denied for table token_usage")
}
