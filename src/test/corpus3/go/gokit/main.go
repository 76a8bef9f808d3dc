// go-kit log 0.2 (Debian golang-github-go-kit-log-dev): logfmt with a UTC timestamp and the caller.
// The usage is Cerebras' chat completion usage (prompt_tokens, completion_tokens, total_tokens).
package main

import (
	"os"

	"github.com/go-kit/log"
)

func main() {
	logger := log.NewLogfmtLogger(log.NewSyncWriter(os.Stdout))
	logger = log.With(logger, "ts", log.DefaultTimestampUTC, "caller", log.DefaultCaller)
	logger.Log("msg", "listening", "addr", ":8080")
	logger.Log("msg", "token_usage", "provider", "cerebras", "model", "llama3.1-8b", "prompt_tokens", 212,
		"completion_tokens", 77, "total_tokens", 289)
	logger.Log("level", "error", "msg", "token_usage insert failed: connection reset by peer")
}
