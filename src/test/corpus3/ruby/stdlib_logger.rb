# Ruby's standard Logger with its default formatter:
# "I, [2025-11-09T10:00:00.123456 #1234]  INFO -- progname: message" (local time without a zone; TZ=UTC here).
# The usage is ruby-openai's chat response "usage" hash (OpenAI's counts), logged with to_json after the word.
require "logger"
require "json"

log = Logger.new($stdout, progname: "llm")
log.info("openai client ready")
response = { "model" => "gpt-4o-mini-2024-07-18",
             "usage" => { "prompt_tokens" => 83, "completion_tokens" => 17, "total_tokens" => 100,
                          "prompt_tokens_details" => { "cached_tokens" => 0 } } }
log.info("token_usage #{response.to_json}")
log.error("token_usage insert failed: PG::UndefinedTable")
