#pragma once

#include <QObject>
#include <QString>

#include <functional>

namespace eventscope::ui {

// Passwords in the desktop keyring (QtKeychain: Secret Service, KWallet), never in the
// settings file. Asynchronous: the keyring may prompt. A keyring that is missing or refuses
// is reported as such, so the caller can ask for the password each time instead. GUI thread.
class SecretStore : public QObject
{
    Q_OBJECT

public:
    struct Outcome
    {
        bool ok = false;
        bool notFound = false; // the keyring works, nothing is stored under the key
        bool unavailable = false; // no keyring (or it refused): ask each time
        QString secret;
        QString error; // for unavailable: why, in one sentence
    };

    explicit SecretStore(QObject *parent = nullptr);

    void read(const QString &key, std::function<void(const Outcome &)> done);
    void write(const QString &key, const QString &secret,
               std::function<void(const Outcome &)> done);
    void remove(const QString &key, std::function<void(const Outcome &)> done);

    static QString serviceName() { return QStringLiteral("EventScope"); }
};

} // namespace eventscope::ui
