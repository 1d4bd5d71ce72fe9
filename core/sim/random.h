#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace eventscope::sim {

// The simulator's only source of randomness: splitmix64, so a seed gives the same traffic on
// every platform and standard library (std:: distributions are implementation-defined).
class Random
{
public:
    explicit Random(std::uint64_t seed)
        : m_state(seed)
    { }

    std::uint64_t next()
    {
        std::uint64_t z = (m_state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }

    // Uniform in [0, 1).
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    double uniform(double low, double high) { return low + (high - low) * uniform(); }
    // Uniform integer in [low, high].
    std::int64_t between(std::int64_t low, std::int64_t high)
    {
        return low + static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(high - low + 1));
    }
    bool chance(double probability) { return uniform() < probability; }

    // Standard normal (Box-Muller, one of the pair).
    double normal()
    {
        const double u1 = 1.0 - uniform(); // (0, 1]
        const double u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }

    template<typename T> const T &pick(const std::vector<T> &items)
    {
        return items[static_cast<std::size_t>(next() % items.size())];
    }

    // Lowercase hex of `digits` characters (trace ids 32, span ids 16).
    std::string hex(int digits)
    {
        static constexpr char kHex[] = "0123456789abcdef";
        std::string out;
        out.reserve(static_cast<std::size_t>(digits));
        std::uint64_t bits = 0;
        for (int i = 0; i < digits; ++i) {
            if (i % 16 == 0)
                bits = next();
            out += kHex[bits & 15];
            bits >>= 4;
        }
        return out;
    }

    // Characters Kubernetes uses for generated name suffixes; at least one digit, so the
    // decoder recognises a ReplicaSet hash.
    std::string kubernetesSuffix(int length)
    {
        static constexpr char kAlphabet[] = "bcdfghjklmnpqrstvwxz2456789";
        std::string out;
        for (int i = 0; i < length; ++i)
            out += kAlphabet[next() % (sizeof(kAlphabet) - 1)];
        out[next() % static_cast<std::uint64_t>(length)] = "2456789"[next() % 7];
        return out;
    }

    std::string uuid()
    {
        std::string h = hex(32);
        return h.substr(0, 8) + '-' + h.substr(8, 4) + '-' + h.substr(12, 4) + '-' + h.substr(16, 4)
            + '-' + h.substr(20, 12);
    }

private:
    std::uint64_t m_state;
};

} // namespace eventscope::sim
