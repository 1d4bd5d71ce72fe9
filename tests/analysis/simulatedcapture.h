#pragma once

// Simulated traffic stored the way ingest stores it: decoded message by message, committed in
// batches. For analysis tests that score against the simulator's ground truth.

#include "decode/messagedecoder.h"
#include "sim/simulator.h"
#include "store/batchcommitter.h"

#include <QtGlobal>

#include <string>
#include <vector>

namespace eventscope::testing {

// Decodes simulated messages as Kafka ingest does: payload, headers, the topic's default kind.
inline void decodeAsIngest(const std::vector<sim::OutgoingMessage> &messages,
                           MessageDecoder &decoder, RecordBatch &batch)
{
    for (const sim::OutgoingMessage &m : messages) {
        std::vector<MessageHeader> headers;
        for (const auto &[name, value] : m.headers)
            headers.push_back({name, value});
        Message message;
        message.payload = m.value;
        message.headers = headers;
        message.topicKind = kindForTopic(m.topic);
        message.receivedAt = m.time;
        decoder.decode(message, batch);
    }
}

inline sim::GroundTruth simulateIntoCapture(const sim::SimulatorOptions &options,
                                            const std::string &path)
{
    sim::Simulator simulator(options);
    auto committer = BatchCommitter::open(path, "simulated for a test");
    if (!committer)
        qFatal("%s", committer.error().c_str());
    MessageDecoder decoder;
    std::vector<sim::OutgoingMessage> messages;
    std::vector<RecordBatch> batch(1);
    int ticks = 0;
    while (simulator.next(messages)) {
        decodeAsIngest(messages, decoder, batch[0]);
        messages.clear();
        if (++ticks % 60 == 0) {
            (*committer)->commit(batch);
            batch[0] = RecordBatch();
        }
    }
    (*committer)->commit(batch);
    return simulator.truth();
}

} // namespace eventscope::testing
