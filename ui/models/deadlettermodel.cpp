#include "deadlettermodel.h"

namespace eventscope::ui {

QString payloadPreview(const std::string &payload, int limit)
{
    QString text;
    const QString decoded
        = QString::fromUtf8(payload.data(), static_cast<qsizetype>(payload.size()));
    const bool validUtf8 = decoded.toUtf8() == QByteArray::fromStdString(payload);
    if (validUtf8) {
        for (const QChar c : decoded) {
            if (c.unicode() < 0x20 || c.unicode() == 0x7f)
                text += QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0'));
            else
                text += c;
        }
    } else {
        for (const char byte : payload) {
            const auto c = static_cast<unsigned char>(byte);
            if (c >= 0x20 && c < 0x7f)
                text += QLatin1Char(static_cast<char>(c));
            else
                text += QStringLiteral("\\x%1").arg(c, 2, 16, QLatin1Char('0'));
        }
    }
    if (text.size() > limit)
        text = text.left(limit) + QStringLiteral("…");
    return text;
}

DeadLetterModel::DeadLetterModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

void DeadLetterModel::setDeadLetters(std::vector<DeadLetter> letters)
{
    beginResetModel();
    m_letters = std::move(letters);
    endResetModel();
}

void DeadLetterModel::setTimeZone(TimeZoneMode zone)
{
    m_zone = zone;
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, ReceivedColumn), index(rowCount() - 1, ReceivedColumn));
}

int DeadLetterModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_letters.size());
}

int DeadLetterModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DeadLetterModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const DeadLetter &letter = m_letters[static_cast<std::size_t>(index.row())];
    const bool fromKafka = !letter.origin.topic.empty();
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case ReceivedColumn: return formatTime(letter.receivedAt, m_zone);
        case SourceColumn:
            return fromKafka ? QStringLiteral("%1 [%2]")
                                   .arg(QString::fromStdString(letter.origin.topic))
                                   .arg(letter.origin.partition)
                             : QString::fromStdString(letter.source);
        case OffsetColumn:
            return fromKafka ? QVariant::fromValue<qint64>(letter.origin.offset) : QVariant();
        case ReasonColumn: return QString::fromStdString(letter.reason);
        case PayloadColumn: return payloadPreview(letter.payload, 160);
        default: return {};
        }
    }
    if (role == Qt::ToolTipRole && index.column() == PayloadColumn)
        return payloadPreview(letter.payload, 2000);
    if (role == Qt::ToolTipRole && index.column() == ReasonColumn)
        return QString::fromStdString(letter.reason);
    return {};
}

QVariant DeadLetterModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case ReceivedColumn: return tr("Received");
    case SourceColumn: return tr("Topic [partition] or file");
    case OffsetColumn: return tr("Offset");
    case ReasonColumn: return tr("Reason");
    case PayloadColumn: return tr("Payload (start)");
    default: return {};
    }
}

} // namespace eventscope::ui
