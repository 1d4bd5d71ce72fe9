#include "settings/operatorsettings.h"

#include <QSettings>

#include <memory>

namespace eventscope::settings {

namespace {

constexpr const char *kAlertRulesKey = "alerts/rules";

std::unique_ptr<QSettings> open()
{
    // Named explicitly: the command line and the GUI set different application names.
    return std::make_unique<QSettings>(QSettings::IniFormat, QSettings::UserScope,
                                       QStringLiteral("EventScope"), QStringLiteral("EventScope"));
}

std::string describe(QSettings::Status status)
{
    switch (status) {
    case QSettings::NoError: return "no error";
    case QSettings::AccessError: return "cannot read or write it (permissions?)";
    case QSettings::FormatError: return "it is not a valid settings file";
    }
    return "unknown error";
}

} // namespace

std::string settingsFile()
{
    return open()->fileName().toStdString();
}

Result<std::string> alertRulesJson()
{
    const auto settings = open();
    if (settings->status() != QSettings::NoError)
        return Result<std::string>::failure(settings->fileName().toStdString() + ": "
                                            + describe(settings->status()));
    return settings->value(QLatin1String(kAlertRulesKey)).toString().toStdString();
}

Status setAlertRulesJson(const std::string &json)
{
    const auto settings = open();
    settings->setValue(QLatin1String(kAlertRulesKey), QString::fromStdString(json));
    settings->sync();
    if (settings->status() != QSettings::NoError)
        return Status::failure(settings->fileName().toStdString()
                               + ": cannot save the alert rules: " + describe(settings->status()));
    return {};
}

} // namespace eventscope::settings
