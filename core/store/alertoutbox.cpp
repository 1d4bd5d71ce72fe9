#include "store/alertoutbox.h"

#include "store/captureschema.h"
#include "store/sqlite.h"

namespace eventscope {

namespace {

constexpr const char *kOutboxSchema = R"sql(
CREATE TABLE IF NOT EXISTS alert_outbox (
    alert_id TEXT PRIMARY KEY,
    dedup_key TEXT NOT NULL,
    action TEXT NOT NULL,
    rule TEXT NOT NULL,
    alert_time INTEGER NOT NULL,
    target_kind TEXT NOT NULL,
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    state TEXT NOT NULL,
    last_error TEXT NOT NULL,
    delivered_at INTEGER NOT NULL
) WITHOUT ROWID;
)sql";

constexpr const char *kColumns
    = "alert_id, dedup_key, action, rule, alert_time, target_kind, url, secret, body, created_at, "
      "attempts, next_attempt_at, state, last_error, delivered_at";

AlertDelivery::State parseState(std::string_view name)
{
    if (name == "delivered")
        return AlertDelivery::State::Delivered;
    if (name == "failed")
        return AlertDelivery::State::Failed;
    return AlertDelivery::State::Pending;
}

} // namespace

std::vector<AlertDelivery> capture::selectDeliveries(const sqlite::Connection &connection,
                                                     std::string_view where)
{
    std::vector<AlertDelivery> out;
    if (connection.queryInt(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'alert_outbox'")
        == 0)
        return out;
    auto query
        = connection.prepare(std::string("SELECT ") + kColumns + " FROM alert_outbox "
                             + std::string(where) + " ORDER BY alert_time, action DESC, alert_id");
    while (query.step()) {
        AlertDelivery d;
        d.alertId = query.columnString(0);
        d.dedupKey = query.columnString(1);
        d.action = query.columnString(2);
        d.rule = query.columnString(3);
        d.alertTime = query.columnInt(4);
        d.targetKind = query.columnString(5);
        d.url = query.columnString(6);
        d.secret = query.columnString(7);
        d.body = query.columnString(8);
        d.createdAt = query.columnInt(9);
        d.attempts = static_cast<int>(query.columnInt(10));
        d.nextAttemptAt = query.columnInt(11);
        d.state = parseState(query.columnText(12));
        d.lastError = query.columnString(13);
        d.deliveredAt = query.columnInt(14);
        out.push_back(std::move(d));
    }
    return out;
}

std::string_view deliveryStateName(AlertDelivery::State state)
{
    switch (state) {
    case AlertDelivery::State::Pending: return "pending";
    case AlertDelivery::State::Delivered: return "delivered";
    case AlertDelivery::State::Failed: return "failed";
    }
    return "pending";
}

AlertOutbox::AlertOutbox(std::string path, std::unique_ptr<sqlite::Connection> connection)
    : m_path(std::move(path))
    , m_connection(std::move(connection))
{ }

AlertOutbox::~AlertOutbox() = default;

Result<std::unique_ptr<AlertOutbox>> AlertOutbox::open(const std::string &path)
{
    using R = Result<std::unique_ptr<AlertOutbox>>;
    if (Status valid = capture::validateFile(path); !valid)
        return R::failure(valid.error());
    try {
        auto connection
            = std::make_unique<sqlite::Connection>(path, sqlite::Connection::Mode::ReadWrite);
        if (sqlite3_db_readonly(connection->handle(), "main") == 1)
            return R::failure(path
                              + ": the capture file is read-only; alerts cannot be queued "
                                "for delivery in it");
        sqlite::Transaction transaction(*connection);
        connection->execute(kOutboxSchema);
        transaction.commit();
        return std::unique_ptr<AlertOutbox>(new AlertOutbox(path, std::move(connection)));
    } catch (const sqlite::Error &e) {
        return R::failure(path + ": cannot open the alert outbox: " + e.what());
    }
}

Result<int> AlertOutbox::add(const std::vector<AlertDelivery> &deliveries)
{
    try {
        sqlite::Transaction transaction(*m_connection);
        auto insert
            = m_connection->prepare(std::string("INSERT OR IGNORE INTO alert_outbox (") + kColumns
                                    + ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                                      "?10, ?11, ?12, ?13, ?14, ?15)");
        int added = 0;
        for (const AlertDelivery &d : deliveries) {
            const std::string_view state = deliveryStateName(d.state);
            insert.bind(1, std::string_view(d.alertId))
                .bind(2, std::string_view(d.dedupKey))
                .bind(3, std::string_view(d.action))
                .bind(4, std::string_view(d.rule))
                .bind(5, static_cast<std::int64_t>(d.alertTime))
                .bind(6, std::string_view(d.targetKind))
                .bind(7, std::string_view(d.url))
                .bind(8, std::string_view(d.secret))
                .bind(9, std::string_view(d.body))
                .bind(10, static_cast<std::int64_t>(d.createdAt))
                .bind(11, d.attempts)
                .bind(12, static_cast<std::int64_t>(d.nextAttemptAt))
                .bind(13, state)
                .bind(14, std::string_view(d.lastError))
                .bind(15, static_cast<std::int64_t>(d.deliveredAt));
            insert.run();
            added += m_connection->changes();
        }
        transaction.commit();
        return added;
    } catch (const sqlite::Error &e) {
        return Result<int>::failure(m_path + ": cannot queue alert deliveries: " + e.what());
    }
}

Result<std::vector<AlertDelivery>> AlertOutbox::pending()
{
    try {
        return capture::selectDeliveries(*m_connection, "WHERE state = 'pending'");
    } catch (const sqlite::Error &e) {
        return Result<std::vector<AlertDelivery>>::failure(
            m_path + ": cannot read the alert outbox: " + e.what());
    }
}

Status AlertOutbox::record(const AlertDelivery &d)
{
    try {
        auto update = m_connection->prepare(
            "UPDATE alert_outbox SET attempts = ?2, next_attempt_at = ?3, state = ?4, "
            "last_error = ?5, delivered_at = ?6 WHERE alert_id = ?1");
        const std::string_view state = deliveryStateName(d.state);
        update.bind(1, std::string_view(d.alertId))
            .bind(2, d.attempts)
            .bind(3, static_cast<std::int64_t>(d.nextAttemptAt))
            .bind(4, state)
            .bind(5, std::string_view(d.lastError))
            .bind(6, static_cast<std::int64_t>(d.deliveredAt));
        update.run(); // autocommit: durable before the next attempt starts
        return {};
    } catch (const sqlite::Error &e) {
        return Status::failure(m_path + ": cannot record the delivery of " + d.alertId + ": "
                               + e.what());
    }
}

Result<std::vector<AlertDelivery>> readAlertDeliveries(const std::string &path)
{
    using R = Result<std::vector<AlertDelivery>>;
    if (Status valid = capture::validateFile(path); !valid)
        return R::failure(valid.error());
    try {
        sqlite::Connection connection(path, sqlite::Connection::Mode::ReadOnly);
        return capture::selectDeliveries(connection, "");
    } catch (const sqlite::Error &e) {
        return R::failure(path + ": cannot read the alert outbox: " + e.what());
    }
}

} // namespace eventscope
