#include "secretstore.h"

#include <qt6keychain/keychain.h>

namespace eventscope::ui {

namespace {
SecretStore::Outcome outcomeOf(const QKeychain::Job &job)
{
    SecretStore::Outcome outcome;
    switch (job.error()) {
    case QKeychain::NoError: outcome.ok = true; break;
    case QKeychain::EntryNotFound: outcome.notFound = true; break;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
    case QKeychain::AccessDeniedByUser:
    case QKeychain::AccessDenied:
    case QKeychain::OtherError:
    case QKeychain::CouldNotDeleteEntry:
        outcome.unavailable = true;
        outcome.error = job.errorString().isEmpty()
            ? QStringLiteral("the desktop keyring is not available")
            : job.errorString();
        break;
    }
    return outcome;
}
} // namespace

SecretStore::SecretStore(QObject *parent)
    : QObject(parent)
{ }

void SecretStore::read(const QString &key, std::function<void(const Outcome &)> done)
{
    auto *job = new QKeychain::ReadPasswordJob(serviceName(), this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // never a plain-text file
    job->setKey(key);
    connect(
        job, &QKeychain::Job::finished, this, [done = std::move(done)](QKeychain::Job *finished) {
            Outcome outcome = outcomeOf(*finished);
            if (outcome.ok)
                outcome.secret = static_cast<QKeychain::ReadPasswordJob *>(finished)->textData();
            done(outcome);
        });
    job->start();
}

void SecretStore::write(const QString &key, const QString &secret,
                        std::function<void(const Outcome &)> done)
{
    auto *job = new QKeychain::WritePasswordJob(serviceName(), this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    job->setTextData(secret);
    connect(job, &QKeychain::Job::finished, this,
            [done = std::move(done)](QKeychain::Job *finished) { done(outcomeOf(*finished)); });
    job->start();
}

void SecretStore::remove(const QString &key, std::function<void(const Outcome &)> done)
{
    auto *job = new QKeychain::DeletePasswordJob(serviceName(), this);
    job->setAutoDelete(true);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this,
            [done = std::move(done)](QKeychain::Job *finished) { done(outcomeOf(*finished)); });
    job->start();
}

} // namespace eventscope::ui
