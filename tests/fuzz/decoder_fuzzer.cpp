// libFuzzer target for the decoder entry point (MessageDecoder::decode): whatever the bytes,
// the decoder returns records or one dead letter with a reason, and never crashes.
//
// Input: the payload; or "\x01" then header lines "name:value" up to a blank line, then the
// payload (exercises CloudEvents binary mode). The input size picks the topic's default kind.

#include "decode/messagedecoder.h"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    static eventscope::MessageDecoder decoder;
    std::string_view input(reinterpret_cast<const char *>(data), size);
    std::vector<std::pair<std::string, std::string>> headers;
    if (!input.empty() && input.front() == '\x01') {
        input.remove_prefix(1);
        while (!input.empty()) {
            const auto newline = input.find('\n');
            const std::string_view line = input.substr(0, newline);
            input = newline == std::string_view::npos ? std::string_view()
                                                      : input.substr(newline + 1);
            if (line.empty())
                break;
            const auto colon = line.find(':');
            headers.emplace_back(std::string(line.substr(0, colon)),
                                 colon == std::string_view::npos
                                     ? std::string()
                                     : std::string(line.substr(colon + 1)));
        }
    }
    std::vector<eventscope::MessageHeader> views;
    for (const auto &[name, value] : headers)
        views.push_back({name, value});

    eventscope::Message message;
    message.payload = input;
    message.headers = views;
    message.topicKind = static_cast<eventscope::RecordKind>(size % 5);
    message.origin = {"fuzz", 0, static_cast<std::int64_t>(size)};
    eventscope::RecordBatch batch;
    const bool ok = decoder.decode(message, batch);
    // The contract: a rejected message is exactly one dead letter with a reason, nothing else.
    if (!ok
        && (batch.deadLetters.size() != 1 || batch.deadLetters[0].reason.empty()
            || batch.recordCount() != 1))
        std::abort();
    if (ok && !batch.deadLetters.empty())
        std::abort();
    return 0;
}
