#include "deliverysecrets.h"

#include "connection/secretstore.h"

#include <QEventLoop>

#include <cctype>
#include <cstdlib>
#include <functional>

namespace eventscope::cli {

namespace {

QString keyringKey(const std::string &name)
{
    return QStringLiteral("alert-delivery/") + QString::fromStdString(name);
}

// Runs one keyring job and waits for its outcome (the keyring answers asynchronously).
using Done = std::function<void(const ui::SecretStore::Outcome &)>;
ui::SecretStore::Outcome waitFor(const std::function<void(ui::SecretStore &, Done)> &job)
{
    ui::SecretStore store;
    QEventLoop loop;
    ui::SecretStore::Outcome outcome;
    bool finished = false;
    job(store, [&](const ui::SecretStore::Outcome &result) {
        outcome = result;
        finished = true;
        loop.quit();
    });
    if (!finished)
        loop.exec();
    return outcome;
}

} // namespace

std::string deliverySecretVariable(const std::string &name)
{
    std::string variable = "EVENTSCOPE_SECRET_";
    for (const char c : name)
        variable += std::isalnum(static_cast<unsigned char>(c))
            ? static_cast<char>(std::toupper(static_cast<unsigned char>(c)))
            : '_';
    return variable;
}

bool isValidSecretName(const std::string &name)
{
    if (name.empty() || name.size() > 100)
        return false;
    for (const char c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-')
            return false;
    }
    return true;
}

Result<std::string> readDeliverySecret(const std::string &name)
{
    using R = Result<std::string>;
    const std::string variable = deliverySecretVariable(name);
    if (const char *value = std::getenv(variable.c_str()); value && *value)
        return std::string(value);
    const ui::SecretStore::Outcome outcome = waitFor(
        [&](ui::SecretStore &store, Done done) { store.read(keyringKey(name), std::move(done)); });
    if (outcome.ok)
        return outcome.secret.toStdString();
    if (outcome.notFound)
        return R::failure("not in the keyring: store it with `eventscope alerts --set-secret "
                          + name + "`, or set " + variable);
    return R::failure("the keyring cannot be read (" + outcome.error.toStdString() + "); set "
                      + variable + " in the environment instead");
}

Status storeDeliverySecret(const std::string &name, const std::string &value)
{
    const ui::SecretStore::Outcome outcome = waitFor([&](ui::SecretStore &store, Done done) {
        store.write(keyringKey(name), QString::fromStdString(value), std::move(done));
    });
    if (outcome.ok)
        return {};
    return Status::failure("cannot store the secret '" + name + "' in the keyring ("
                           + outcome.error.toStdString() + "); set " + deliverySecretVariable(name)
                           + " in the environment of the process that delivers instead");
}

} // namespace eventscope::cli
