#include "servicechoice.h"

#include <QComboBox>
#include <QCoreApplication>

namespace eventscope::ui {

namespace {
QString allServices()
{
    return QCoreApplication::translate("ServiceChoice", "All services");
}
} // namespace

void setupServiceChoice(QComboBox &combo)
{
    combo.addItem(allServices(), QString());
    combo.setMinimumContentsLength(14);
    combo.setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
}

void offerServices(QComboBox &combo, const QStringList &services)
{
    const QString current = combo.currentData().toString();
    const QSignalBlocker blocker(&combo);
    combo.clear();
    combo.addItem(allServices(), QString());
    for (const QString &service : services)
        combo.addItem(service, service);
    combo.setCurrentIndex(std::max(0, combo.findData(current)));
}

void chooseService(QComboBox &combo, const QString &service)
{
    int index = combo.findData(service);
    if (index < 0 && !service.isEmpty()) {
        combo.addItem(service, service);
        index = combo.count() - 1;
    }
    combo.setCurrentIndex(std::max(0, index));
}

} // namespace eventscope::ui
