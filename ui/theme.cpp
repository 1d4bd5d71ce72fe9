#include "theme.h"

#include <QApplication>
#include <QPalette>
#include <QStyleFactory>
#include <QToolTip>

#include <array>

namespace eventscope::ui {

Theme Theme::dark()
{
    Theme t;
    t.kind = Kind::Dark;
    t.window = QColor(0x1e, 0x21, 0x26);
    t.base = QColor(0x16, 0x18, 0x1c);
    t.alternateBase = QColor(0x1c, 0x1f, 0x24);
    t.text = QColor(0xdc, 0xdf, 0xe4);
    t.mutedText = QColor(0x9a, 0xa1, 0xab);
    t.grid = QColor(0x2c, 0x31, 0x38);
    t.axis = QColor(0x5c, 0x63, 0x6e);
    t.highlight = QColor(0x2f, 0x6f, 0xc4);
    t.highlightedText = QColor(0xff, 0xff, 0xff);
    t.crosshair = QColor(0xe8, 0xe8, 0xe8, 0xa0);
    t.tooltipBase = QColor(0x2a, 0x2e, 0x35);
    t.tooltipText = QColor(0xe6, 0xe6, 0xe6);
    return t;
}

Theme Theme::light()
{
    Theme t;
    t.kind = Kind::Light;
    t.window = QColor(0xf3, 0xf4, 0xf6);
    t.base = QColor(0xff, 0xff, 0xff);
    t.alternateBase = QColor(0xf5, 0xf7, 0xfa);
    t.text = QColor(0x1d, 0x21, 0x27);
    t.mutedText = QColor(0x5b, 0x63, 0x6e);
    t.grid = QColor(0xe3, 0xe6, 0xea);
    t.axis = QColor(0x9a, 0xa1, 0xab);
    t.highlight = QColor(0x2f, 0x6f, 0xc4);
    t.highlightedText = QColor(0xff, 0xff, 0xff);
    t.crosshair = QColor(0x30, 0x30, 0x30, 0xa0);
    t.tooltipBase = QColor(0xff, 0xff, 0xf2);
    t.tooltipText = QColor(0x1d, 0x21, 0x27);
    return t;
}

std::optional<Theme::Kind> Theme::parseKind(const QString &name)
{
    if (name.compare(QLatin1String("dark"), Qt::CaseInsensitive) == 0)
        return Kind::Dark;
    if (name.compare(QLatin1String("light"), Qt::CaseInsensitive) == 0)
        return Kind::Light;
    return std::nullopt;
}

QString Theme::kindName(Kind kind)
{
    return kind == Kind::Dark ? QStringLiteral("dark") : QStringLiteral("light");
}

QColor Theme::severityColor(Severity severity) const
{
    const bool dark = kind == Kind::Dark;
    switch (severity) {
    case Severity::Debug: return dark ? QColor(0x80, 0x88, 0x93) : QColor(0x8a, 0x92, 0x9c);
    case Severity::Info: return dark ? QColor(0x4f, 0x9d, 0xf0) : QColor(0x1f, 0x6f, 0xd0);
    case Severity::Warning: return dark ? QColor(0xf2, 0xb1, 0x34) : QColor(0xc7, 0x83, 0x00);
    case Severity::Error: return dark ? QColor(0xf0, 0x5a, 0x4f) : QColor(0xd3, 0x2f, 0x2f);
    case Severity::Critical: return dark ? QColor(0xe0, 0x5c, 0xf2) : QColor(0xa0, 0x1f, 0xb8);
    }
    return text;
}

QColor Theme::categoryColor(EventCategory category) const
{
    static const std::array<QColor, kEventCategoryCount> kColors = {
        QColor(0x42, 0xa5, 0xf5), // scaling
        QColor(0xab, 0x7d, 0xf6), // provisioning
        QColor(0xef, 0x53, 0x50), // failure
        QColor(0x66, 0xbb, 0x6a), // recovery
        QColor(0xff, 0xa7, 0x26), // config
        QColor(0x26, 0xc6, 0xda), // deployment
        QColor(0xec, 0x40, 0x7a), // alert
        QColor(0x9e, 0x9e, 0x9e), // other
    };
    const QColor color = kColors[static_cast<std::size_t>(category)];
    return kind == Kind::Dark ? color : color.darker(125);
}

QColor Theme::seriesColor(int index) const
{
    // Okabe-Ito inspired, tuned per background so every line keeps its contrast.
    static const std::array<QColor, 8> kDark = {
        QColor(0x5e, 0xb8, 0xff), QColor(0xff, 0xb3, 0x47), QColor(0x6b, 0xd9, 0x8c),
        QColor(0xff, 0x7a, 0x90), QColor(0xc3, 0x9b, 0xff), QColor(0x4d, 0xe1, 0xd2),
        QColor(0xf0, 0xe4, 0x42), QColor(0xd0, 0xd0, 0xd0),
    };
    static const std::array<QColor, 8> kLight = {
        QColor(0x00, 0x72, 0xb2), QColor(0xd5, 0x5e, 0x00), QColor(0x00, 0x9e, 0x73),
        QColor(0xcc, 0x33, 0x66), QColor(0x6a, 0x3d, 0x9a), QColor(0x00, 0x8b, 0x8b),
        QColor(0x99, 0x80, 0x00), QColor(0x44, 0x44, 0x44),
    };
    const auto &colors = kind == Kind::Dark ? kDark : kLight;
    return colors[static_cast<std::size_t>(index) % colors.size()];
}

void Theme::applyTo(QApplication &application) const
{
    application.setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QPalette palette;
    palette.setColor(QPalette::Window, window);
    palette.setColor(QPalette::WindowText, text);
    palette.setColor(QPalette::Base, base);
    palette.setColor(QPalette::AlternateBase, alternateBase);
    palette.setColor(QPalette::ToolTipBase, tooltipBase);
    palette.setColor(QPalette::ToolTipText, tooltipText);
    palette.setColor(QPalette::PlaceholderText, mutedText);
    palette.setColor(QPalette::Text, text);
    palette.setColor(QPalette::Button, window.lighter(kind == Kind::Dark ? 120 : 100));
    palette.setColor(QPalette::ButtonText, text);
    palette.setColor(QPalette::BrightText, QColor(0xff, 0x55, 0x55));
    palette.setColor(QPalette::Link, highlight.lighter(130));
    palette.setColor(QPalette::Highlight, highlight);
    palette.setColor(QPalette::HighlightedText, highlightedText);
    palette.setColor(QPalette::Mid, grid);
    palette.setColor(QPalette::Dark, kind == Kind::Dark ? base.darker(130) : grid.darker(130));
    palette.setColor(QPalette::Disabled, QPalette::Text, mutedText.darker(130));
    palette.setColor(QPalette::Disabled, QPalette::WindowText, mutedText.darker(130));
    palette.setColor(QPalette::Disabled, QPalette::ButtonText, mutedText.darker(130));
    application.setPalette(palette);
    QToolTip::setPalette(palette);
}

QColor mixed(const QColor &under, const QColor &over, double amount)
{
    const auto channel
        = [amount](float a, float b) { return static_cast<float>(a + (b - a) * amount); };
    return QColor::fromRgbF(channel(under.redF(), over.redF()),
                            channel(under.greenF(), over.greenF()),
                            channel(under.blueF(), over.blueF()));
}

} // namespace eventscope::ui
