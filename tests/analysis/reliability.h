#pragma once

// Whether a score reads as a probability: of the answers given with a score near 0.8, about
// 80 % should be right. Scores are binned in fifths; each bin shows how many answers fell in
// it, how many of them were right and the mean score; the expected calibration error (ECE) is
// the answer-weighted gap between the two, and its overconfident part the gap where scores
// claim more than they deliver.

#include <QString>

#include <algorithm>
#include <array>
#include <cmath>

class Reliability
{
public:
    void add(double score, bool right)
    {
        const auto bin = static_cast<std::size_t>(std::clamp(score, 0.0, 1.0) * kBins);
        Bin &b = m_bins[std::min(bin, kBins - 1)];
        ++b.answers;
        b.right += right ? 1 : 0;
        b.scores += score;
        ++m_answers;
    }

    double expectedCalibrationError() const
    {
        if (m_answers == 0)
            return 0;
        double gap = 0;
        for (const Bin &b : m_bins)
            gap += std::abs(b.right - b.scores);
        return gap / m_answers;
    }

    // The part of that gap where scores claim more than they deliver: the harmful direction,
    // an operator trusting an answer that is wrong more often than it says.
    double overconfidence() const
    {
        if (m_answers == 0)
            return 0;
        double gap = 0;
        for (const Bin &b : m_bins)
            gap += std::max(0.0, b.scores - b.right);
        return gap / m_answers;
    }

    QString table(const QString &title) const
    {
        QString out = QStringLiteral("%1: score bin, answers, right, mean score\n").arg(title);
        for (std::size_t i = 0; i < kBins; ++i) {
            const Bin &b = m_bins[i];
            out += QStringLiteral("  %1-%2 %3 %4 %5\n")
                       .arg(static_cast<double>(i) / kBins, 0, 'f', 1)
                       .arg(static_cast<double>(i + 1) / kBins, 0, 'f', 1)
                       .arg(b.answers, 5)
                       .arg(b.answers ? b.right / b.answers : 0.0, 6, 'f', 2)
                       .arg(b.answers ? b.scores / b.answers : 0.0, 6, 'f', 2);
        }
        out += QStringLiteral("  expected calibration error %1 (overconfident part %2) over %3 "
                              "answers\n")
                   .arg(expectedCalibrationError(), 0, 'f', 3)
                   .arg(overconfidence(), 0, 'f', 3)
                   .arg(m_answers);
        return out;
    }

private:
    static constexpr std::size_t kBins = 5;
    struct Bin
    {
        int answers = 0;
        double right = 0;
        double scores = 0;
    };
    std::array<Bin, kBins> m_bins{};
    int m_answers = 0;
};
