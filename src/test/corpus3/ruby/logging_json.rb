# The logging gem 2.2 (Debian ruby-logging) with its JSON layout: one object a line, "timestamp" with an offset, and
# a Hash logged as the "message" object itself. The usage is the anthropic gem's Message#usage hash (input_tokens
# excludes cache_read_input_tokens and cache_creation_input_tokens).
require "logging"

log = Logging.logger["Llm"]
log.add_appenders(Logging.appenders.stdout(layout: Logging.layouts.json))
log.level = :info
log.info("anthropic client ready")
log.info({ event: "token_usage", provider: "anthropic", model: "claude-opus-4-1-20250805",
           usage: { input_tokens: 12, cache_creation_input_tokens: nil, cache_read_input_tokens: 4096,
                    output_tokens: 530 } })
log.error("token_usage insert failed")
