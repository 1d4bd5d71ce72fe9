#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace eventscope::sqlite {

// Thrown inside core/store only; the store's public functions turn it into Result/Status
// with the capture's file name in front.
class Error : public std::runtime_error
{
public:
    Error(int code, const std::string &message)
        : std::runtime_error(message)
        , m_code(code)
    { }
    int code() const { return m_code; }

private:
    int m_code;
};

struct ConnectionCloser
{
    void operator()(sqlite3 *db) const { sqlite3_close_v2(db); }
};
struct StatementFinalizer
{
    void operator()(sqlite3_stmt *statement) const { sqlite3_finalize(statement); }
};

class Statement;

// One SQLite connection. Not thread-safe: each thread that reads or writes owns its own.
class Connection
{
public:
    enum class Mode { ReadOnly, ReadWrite, ReadWriteCreate };

    Connection() = default;
    Connection(const std::string &path, Mode mode);

    sqlite3 *handle() const { return m_db.get(); }
    bool isOpen() const { return m_db != nullptr; }

    void execute(std::string_view sql);
    Statement prepare(std::string_view sql) const;
    std::int64_t queryInt(std::string_view sql) const;
    std::int64_t lastInsertRowId() const { return sqlite3_last_insert_rowid(m_db.get()); }
    int changes() const { return sqlite3_changes(m_db.get()); }
    // Reads the first bytes of the main database file through SQLite's own descriptor, bytes
    // past the end of the file read as zero. Code that opens and closes a database file by
    // other means drops every POSIX lock this process holds on it (fcntl locks belong to the
    // process, not the descriptor): a writer in this process would lose its lock and a reader
    // elsewhere could then checkpoint and delete the write-ahead log under it.
    void readFileStart(unsigned char *buffer, int size) const;

    [[noreturn]] void throwError(int code, std::string_view what) const;

private:
    std::unique_ptr<sqlite3, ConnectionCloser> m_db;
};

// A prepared statement. Binds are 1-based as in SQLite; columns are 0-based.
class Statement
{
public:
    Statement() = default;
    Statement(sqlite3 *db, sqlite3_stmt *statement)
        : m_db(db)
        , m_statement(statement)
    { }

    Statement &bind(int index, std::int64_t value);
    Statement &bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement &bind(int index, double value);
    // Text and blobs are not copied: they must stay alive until the statement is stepped.
    Statement &bind(int index, std::string_view text);
    // A temporary string would be gone by then.
    Statement &bind(int index, std::string &&text) = delete;
    Statement &bindBlob(int index, const void *data, std::size_t size);
    Statement &bindNull(int index);

    // True while a row is available; false when done. Throws on error.
    bool step();
    // Runs a statement that returns no rows, then resets it.
    void run();
    void reset();

    std::int64_t columnInt(int column) const
    {
        return sqlite3_column_int64(m_statement.get(), column);
    }
    double columnDouble(int column) const
    {
        return sqlite3_column_double(m_statement.get(), column);
    }
    std::string_view columnText(int column) const;
    std::string columnString(int column) const { return std::string(columnText(column)); }
    std::string_view columnBlob(int column) const;
    bool columnIsNull(int column) const
    {
        return sqlite3_column_type(m_statement.get(), column) == SQLITE_NULL;
    }

private:
    sqlite3 *m_db = nullptr;
    std::unique_ptr<sqlite3_stmt, StatementFinalizer> m_statement;
};

// RAII transaction: commits on commit(), rolls back if destroyed before that.
class Transaction
{
public:
    explicit Transaction(Connection &connection, bool immediate = true);
    ~Transaction();
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;
    void commit();

private:
    Connection &m_connection;
    bool m_open = true;
};

} // namespace eventscope::sqlite
