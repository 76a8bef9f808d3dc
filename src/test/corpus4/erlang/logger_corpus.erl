%% Erlang/OTP 25 logger (Debian erlang-base), logger_formatter on a file handler, single_line.
%% A report (map) message, a format-string message, and an error.
-module(logger_corpus).
-export([main/1]).
main([Out]) ->
    ok = logger:remove_handler(default),
    ok = logger:set_primary_config(level, info),
    ok = logger:add_handler(file_h, logger_std_h,
        #{config => #{file => Out, modes => [write]},
          formatter => {logger_formatter, #{single_line => true, time_designator => $T,
                                            template => [time, " ", level, ": ", msg, "\n"]}}}),
    %% Vertex AI generateContent usageMetadata with cached content and tool-use prompt tokens
    logger:info(#{event => token_usage, provider => <<"google">>, model => <<"gemini-2.5-pro">>,
                  usageMetadata => #{promptTokenCount => 1200, cachedContentTokenCount => 800,
                                     candidatesTokenCount => 150, toolUsePromptTokenCount => 60,
                                     thoughtsTokenCount => 40, totalTokenCount => 1450}}),
    logger:error("epgsql error inserting into token_usage: ~p", [{error, {error, error, <<"23503">>, foreign_key_violation, <<"insert or update on table \"token_usage\" violates foreign key constraint">>, []}}]),
    %% AWS Bedrock InvokeModel response headers copied as fields
    logger:info("token_usage ~s", [<<"{\"modelId\":\"meta.llama3-1-70b-instruct-v1:0\",\"x-amzn-bedrock-input-token-count\":\"42\",\"x-amzn-bedrock-output-token-count\":\"118\",\"x-amzn-bedrock-invocation-latency\":\"1234\"}">>]),
    logger_std_h:filesync(file_h),
    ok.
