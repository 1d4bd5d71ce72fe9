#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace eventscope {

// A value or a message a person can act on ("capture /tmp/x.db: file is truncated ...").
template<typename T> class [[nodiscard]] Result
{
public:
    Result(T value)
        : m_value(std::move(value))
    { }

    static Result failure(std::string message)
    {
        Result r;
        r.m_error = std::move(message);
        return r;
    }

    bool ok() const { return m_value.has_value(); }
    explicit operator bool() const { return ok(); }

    T &value() &
    {
        assert(ok());
        return *m_value;
    }
    const T &value() const &
    {
        assert(ok());
        return *m_value;
    }
    // On a temporary the value moves out, so `for (x : *query())` does not dangle.
    T value() &&
    {
        assert(ok());
        return std::move(*m_value);
    }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }
    T operator*() && { return std::move(*this).value(); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }

    const std::string &error() const { return m_error; }

private:
    Result() = default;
    std::optional<T> m_value;
    std::string m_error;
};

// Success or a message, for operations that produce nothing.
class [[nodiscard]] Status
{
public:
    Status() = default;
    static Status failure(std::string message)
    {
        Status s;
        s.m_error = std::move(message);
        s.m_failed = true;
        return s;
    }
    bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    const std::string &error() const { return m_error; }

private:
    std::string m_error;
    bool m_failed = false;
};

} // namespace eventscope
