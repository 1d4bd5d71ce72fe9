#pragma once

#include "theme.h"

#include "report/incidentreport.h"
#include "util/result.h"

#include <QPageSize>
#include <QSize>
#include <QString>

#include <optional>

namespace eventscope {
class CaptureReader;
}

namespace eventscope::ui {

class ReportCharts;

enum class ReportFormat { Pdf, Html, Png };

// The format a report path asks for, by its extension (.pdf, .html / .htm, .png).
std::optional<ReportFormat> reportFormatForPath(const QString &path);

struct ReportOutput
{
    QString path;
    ReportFormat format = ReportFormat::Pdf;
    Theme::Kind theme = Theme::Kind::Light;
    QPageSize::PageSizeId page = QPageSize::A4; // PDF
    QSize pictureSize{1600, 1000}; // PNG, in pixels
};

// Writes an incident report: the PDF paginated with vector charts and no chart cut by a page
// break; the HTML as one self-contained file (charts embedded, nothing fetched, every text from
// the data escaped, the same bytes for the same input); the PNG as one picture of the given
// size. The file appears whole or not at all. Needs a QApplication; the offscreen platform is
// enough.
Status writeIncidentReport(CaptureReader &reader, const report::IncidentReport &report,
                           const ReportOutput &output);

// The report as a web page, with the charts as embedded PNGs: what the HTML file holds.
QString incidentReportHtml(const report::IncidentReport &report, const ReportCharts &charts,
                           const Theme &theme);

} // namespace eventscope::ui
