#include "decode/jsonerrorlocator.h"

#include <cstdint>

namespace eventscope {

namespace {

class Locator
{
public:
    explicit Locator(std::string_view text)
        : m_text(text)
    { }

    std::string run()
    {
        skipSpace();
        if (atEnd())
            return fail("empty document, expected a JSON value");
        if (!value(0))
            return m_error;
        skipSpace();
        if (!atEnd())
            return fail("unexpected " + describe() + " after the end of the JSON value");
        return {};
    }

private:
    static constexpr int kMaxDepth = 1024;

    bool atEnd() const { return m_position >= m_text.size(); }
    char peek() const { return m_text[m_position]; }

    std::string describe() const
    {
        if (atEnd())
            return "end of input";
        const auto c = static_cast<unsigned char>(peek());
        if (c < 0x20)
            return "control character 0x" + hex(c);
        if (c >= 0x80)
            return "byte 0x" + hex(c);
        return std::string("'") + static_cast<char>(c) + "'";
    }

    static std::string hex(unsigned c)
    {
        static constexpr char kDigits[] = "0123456789abcdef";
        return {kDigits[(c >> 4) & 0xf], kDigits[c & 0xf]};
    }

    std::string fail(const std::string &what)
    {
        std::size_t line = 1, column = 1;
        for (std::size_t i = 0; i < m_position && i < m_text.size(); ++i) {
            if (m_text[i] == '\n') {
                ++line;
                column = 1;
            } else {
                ++column;
            }
        }
        m_error = "line " + std::to_string(line) + " col " + std::to_string(column) + ": " + what;
        return m_error;
    }

    bool failed(const std::string &what)
    {
        fail(what);
        return false;
    }

    void skipSpace()
    {
        while (!atEnd() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r'))
            ++m_position;
    }

    bool value(int depth)
    {
        if (depth > kMaxDepth)
            return failed("nesting deeper than " + std::to_string(kMaxDepth) + " levels");
        skipSpace();
        if (atEnd())
            return failed("unexpected end of input, expected a value");
        switch (peek()) {
        case '{': return object(depth);
        case '[': return array(depth);
        case '"': return string();
        case 't': return literal("true");
        case 'f': return literal("false");
        case 'n': return literal("null");
        default:
            if (peek() == '-' || (peek() >= '0' && peek() <= '9'))
                return number();
            return failed("expected a value, found " + describe());
        }
    }

    bool literal(std::string_view word)
    {
        if (m_text.substr(m_position, word.size()) != word)
            return failed("expected '" + std::string(word) + "', found " + describe());
        m_position += word.size();
        return true;
    }

    bool digits()
    {
        const std::size_t start = m_position;
        while (!atEnd() && peek() >= '0' && peek() <= '9')
            ++m_position;
        return m_position > start;
    }

    bool number()
    {
        if (peek() == '-')
            ++m_position;
        if (atEnd() || !(peek() >= '0' && peek() <= '9'))
            return failed("expected a digit, found " + describe());
        if (peek() == '0') {
            ++m_position;
        } else {
            digits();
        }
        if (!atEnd() && peek() == '.') {
            ++m_position;
            if (!digits())
                return failed("expected a digit after '.', found " + describe());
        }
        if (!atEnd() && (peek() == 'e' || peek() == 'E')) {
            ++m_position;
            if (!atEnd() && (peek() == '+' || peek() == '-'))
                ++m_position;
            if (!digits())
                return failed("expected a digit in the exponent, found " + describe());
        }
        return true;
    }

    bool string()
    {
        ++m_position; // opening quote
        while (!atEnd()) {
            const auto c = static_cast<unsigned char>(peek());
            if (c == '"') {
                ++m_position;
                return true;
            }
            if (c < 0x20)
                return failed("control character 0x" + hex(c) + " inside a string (escape it)");
            if (c == '\\') {
                ++m_position;
                if (atEnd())
                    break;
                const char e = peek();
                if (e == 'u') {
                    for (int i = 1; i <= 4; ++i) {
                        const std::size_t at = m_position + static_cast<std::size_t>(i);
                        const char h = at < m_text.size() ? m_text[at] : '\0';
                        const bool isHex = (h >= '0' && h <= '9') || (h >= 'a' && h <= 'f')
                            || (h >= 'A' && h <= 'F');
                        if (!isHex) {
                            m_position = at;
                            return failed("expected four hex digits after \\u");
                        }
                    }
                    m_position += 5;
                    continue;
                }
                if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos)
                    return failed("invalid escape '\\" + std::string(1, e) + "'");
                ++m_position;
                continue;
            }
            ++m_position;
        }
        return failed("unterminated string");
    }

    bool object(int depth)
    {
        ++m_position;
        skipSpace();
        if (!atEnd() && peek() == '}') {
            ++m_position;
            return true;
        }
        for (;;) {
            skipSpace();
            if (atEnd() || peek() != '"')
                return failed("expected a quoted object key, found " + describe());
            if (!string())
                return false;
            skipSpace();
            if (atEnd() || peek() != ':')
                return failed("expected ':' after an object key, found " + describe());
            ++m_position;
            if (!value(depth + 1))
                return false;
            skipSpace();
            if (!atEnd() && peek() == ',') {
                ++m_position;
                continue;
            }
            if (!atEnd() && peek() == '}') {
                ++m_position;
                return true;
            }
            return failed("expected ',' or '}' in an object, found " + describe());
        }
    }

    bool array(int depth)
    {
        ++m_position;
        skipSpace();
        if (!atEnd() && peek() == ']') {
            ++m_position;
            return true;
        }
        for (;;) {
            if (!value(depth + 1))
                return false;
            skipSpace();
            if (!atEnd() && peek() == ',') {
                ++m_position;
                continue;
            }
            if (!atEnd() && peek() == ']') {
                ++m_position;
                return true;
            }
            return failed("expected ',' or ']' in an array, found " + describe());
        }
    }

    std::string_view m_text;
    std::size_t m_position = 0;
    std::string m_error;
};

} // namespace

std::string locateJsonError(std::string_view text)
{
    return Locator(text).run();
}

} // namespace eventscope
