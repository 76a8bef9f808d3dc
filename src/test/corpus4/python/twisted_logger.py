"""twisted.logger (Debian python3-twisted 22.4): jsonFileLogObserver and textFileLogObserver."""
import io, sys
from twisted.logger import Logger, jsonFileLogObserver, textFileLogObserver, globalLogPublisher, LogPublisher

out = sys.argv[1]
jf = io.open(out + "/twisted-json.log", "w")
tf = io.open(out + "/twisted-text.log", "w")
pub = LogPublisher(jsonFileLogObserver(jf), textFileLogObserver(tf))
log = Logger(namespace="app.llm", observer=pub)

# Haystack OpenAIGenerator.run() result: {"replies": [...], "meta": [{"model":..., "usage": {...}}]}
haystack = {"replies": ["Paris."], "meta": [{"model": "gpt-4o-mini-2024-07-18", "index": 0, "finish_reason": "stop",
            "usage": {"completion_tokens": 9, "prompt_tokens": 14, "total_tokens": 23,
                      "completion_tokens_details": {"accepted_prediction_tokens": 0, "audio_tokens": 0, "reasoning_tokens": 0, "rejected_prediction_tokens": 0},
                      "prompt_tokens_details": {"audio_tokens": 0, "cached_tokens": 0}}}]}
log.info("token_usage {model} prompt={prompt} completion={completion}", model="gpt-4o-mini-2024-07-18",
         prompt=14, completion=9, provider="openai", result=haystack)
log.error("could not write token_usage row: {error}", error="psycopg2.errors.UndefinedTable: relation \"token_usage\" does not exist")
# OpenAI .NET ChatTokenUsage shape (as a .NET service returned it): InputTokenCount etc.
log.info("token_usage", model="gpt-4o", provider="openai",
         usage={"OutputTokenCount": 310, "InputTokenCount": 2048, "TotalTokenCount": 2358,
                "OutputTokenDetails": {"ReasoningTokenCount": 0, "AudioTokenCount": 0},
                "InputTokenDetails": {"AudioTokenCount": 0, "CachedTokenCount": 1536}})
jf.close(); tf.close()
