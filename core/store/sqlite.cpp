#include "store/sqlite.h"

namespace eventscope::sqlite {

Connection::Connection(const std::string &path, Mode mode)
{
    int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
    switch (mode) {
    case Mode::ReadOnly: flags |= SQLITE_OPEN_READONLY; break;
    case Mode::ReadWrite: flags |= SQLITE_OPEN_READWRITE; break;
    case Mode::ReadWriteCreate: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE; break;
    }
    sqlite3 *db = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
    m_db.reset(db);
    if (rc != SQLITE_OK) {
        const std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
        m_db.reset();
        throw Error(rc, message);
    }
    sqlite3_extended_result_codes(db, 1);
    // Readers and the writer share the file; a short wait beats a spurious SQLITE_BUSY.
    sqlite3_busy_timeout(db, 5000);
}

void Connection::execute(std::string_view sql)
{
    const std::string text(sql);
    char *message = nullptr;
    const int rc = sqlite3_exec(m_db.get(), text.c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
        std::string error = message ? message : sqlite3_errstr(rc);
        sqlite3_free(message);
        throw Error(rc, error);
    }
}

void Connection::readFileStart(unsigned char *buffer, int size) const
{
    sqlite3_file *file = nullptr;
    const int rc = sqlite3_file_control(m_db.get(), "main", SQLITE_FCNTL_FILE_POINTER, &file);
    if (rc != SQLITE_OK || file == nullptr || file->pMethods == nullptr)
        throw Error(rc == SQLITE_OK ? SQLITE_CANTOPEN : rc, "cannot reach the database file");
    const int read = file->pMethods->xRead(file, buffer, size, 0);
    if (read != SQLITE_OK && read != SQLITE_IOERR_SHORT_READ) // a short read fills with zeros
        throw Error(read, sqlite3_errstr(read));
}

Statement Connection::prepare(std::string_view sql) const
{
    sqlite3_stmt *statement = nullptr;
    const int rc = sqlite3_prepare_v3(m_db.get(), sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &statement, nullptr);
    if (rc != SQLITE_OK)
        throwError(rc, "preparing a statement");
    return Statement(m_db.get(), statement);
}

std::int64_t Connection::queryInt(std::string_view sql) const
{
    Statement statement = prepare(sql);
    if (!statement.step())
        return 0;
    return statement.columnInt(0);
}

void Connection::throwError(int code, std::string_view what) const
{
    std::string message = sqlite3_errmsg(m_db.get());
    if (!what.empty())
        message += " (" + std::string(what) + ")";
    throw Error(code, message);
}

Statement &Statement::bind(int index, std::int64_t value)
{
    sqlite3_bind_int64(m_statement.get(), index, value);
    return *this;
}

Statement &Statement::bind(int index, double value)
{
    sqlite3_bind_double(m_statement.get(), index, value);
    return *this;
}

Statement &Statement::bind(int index, std::string_view text)
{
    sqlite3_bind_text(m_statement.get(), index, text.data(), static_cast<int>(text.size()),
                      SQLITE_STATIC);
    return *this;
}

Statement &Statement::bindBlob(int index, const void *data, std::size_t size)
{
    sqlite3_bind_blob(m_statement.get(), index, size == 0 ? "" : data, static_cast<int>(size),
                      SQLITE_STATIC);
    return *this;
}

Statement &Statement::bindNull(int index)
{
    sqlite3_bind_null(m_statement.get(), index);
    return *this;
}

bool Statement::step()
{
    const int rc = sqlite3_step(m_statement.get());
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    const std::string message = sqlite3_errmsg(m_db);
    sqlite3_reset(m_statement.get());
    throw Error(rc, message);
}

void Statement::run()
{
    while (step()) { }
    reset();
}

void Statement::reset()
{
    sqlite3_reset(m_statement.get());
    sqlite3_clear_bindings(m_statement.get());
}

std::string_view Statement::columnText(int column) const
{
    const auto *text
        = reinterpret_cast<const char *>(sqlite3_column_text(m_statement.get(), column));
    const int size = sqlite3_column_bytes(m_statement.get(), column);
    return text ? std::string_view(text, static_cast<std::size_t>(size)) : std::string_view();
}

std::string_view Statement::columnBlob(int column) const
{
    const auto *data = static_cast<const char *>(sqlite3_column_blob(m_statement.get(), column));
    const int size = sqlite3_column_bytes(m_statement.get(), column);
    return data ? std::string_view(data, static_cast<std::size_t>(size)) : std::string_view();
}

Transaction::Transaction(Connection &connection, bool immediate)
    : m_connection(connection)
{
    m_connection.execute(immediate ? "BEGIN IMMEDIATE" : "BEGIN");
}

Transaction::~Transaction()
{
    if (m_open) {
        try {
            m_connection.execute("ROLLBACK");
        } catch (const Error &) {
            // A failed COMMIT may already have rolled back; nothing more to undo.
        }
    }
}

void Transaction::commit()
{
    m_connection.execute("COMMIT");
    m_open = false;
}

} // namespace eventscope::sqlite
