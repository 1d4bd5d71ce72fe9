#pragma once

#include "util/result.h"

#include <string>

namespace eventscope::cli {

// The secrets alert delivery sends (webhook tokens, PagerDuty routing keys), by the name a
// rule gives. From EVENTSCOPE_SECRET_<NAME> in the environment when set (a service or a CI
// job without a desktop keyring), else from the desktop keyring, where --set-secret and the
// console put them (service "EventScope", key "alert-delivery/<name>"). Never from a file.
Result<std::string> readDeliverySecret(const std::string &name);
Status storeDeliverySecret(const std::string &name, const std::string &value);
// EVENTSCOPE_SECRET_ and the name in capitals, other characters as '_'.
std::string deliverySecretVariable(const std::string &name);
// Names are letters, digits, '.', '_' and '-'.
bool isValidSecretName(const std::string &name);

} // namespace eventscope::cli
