#pragma once

#include <QStringList>

class QComboBox;

namespace eventscope::ui {

// The "All services" + one-service combo box the logs and traces panels filter by; the value of
// an item is its service name ("" for all).
void setupServiceChoice(QComboBox &combo);
// Offers these services, keeping the current choice if it is still offered (no signal).
void offerServices(QComboBox &combo, const QStringList &services);
// Chooses one (added if not offered yet); empty chooses all.
void chooseService(QComboBox &combo, const QString &service);

} // namespace eventscope::ui
