#include "seriesraster.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace eventscope::ui {

void SeriesRaster::begin(QSize size)
{
    if (size.isEmpty()) { // a chart not laid out yet: draw nothing
        m_image = QImage();
        m_bits = nullptr;
        m_width = m_height = 0;
        return;
    }
    if (m_image.size() != size)
        m_image = QImage(size, QImage::Format_ARGB32_Premultiplied);
    m_image.fill(Qt::transparent);
    m_bits = reinterpret_cast<QRgb *>(m_image.bits());
    m_stride = m_image.bytesPerLine() / static_cast<qsizetype>(sizeof(QRgb));
    m_width = size.width();
    m_height = size.height();
}

void SeriesRaster::fillColumn(int x, int top, int bottom, QRgb colour)
{
    if (!m_bits || static_cast<unsigned>(x) >= static_cast<unsigned>(m_width))
        return;
    if (top > bottom)
        std::swap(top, bottom);
    top = std::max(top, 0);
    bottom = std::min(bottom, m_height - 1);
    QRgb *pixel = m_bits + static_cast<qsizetype>(top) * m_stride + x;
    for (int y = top; y <= bottom; ++y, pixel += m_stride)
        *pixel = colour;
}

void SeriesRaster::line(int x0, int y0, int x1, int y1, QRgb colour)
{
    // Entirely outside: nothing to do (the common case for off-screen parts of a series).
    if (!m_bits || (x0 < 0 && x1 < 0) || (x0 >= m_width && x1 >= m_width) || (y0 < 0 && y1 < 0)
        || (y0 >= m_height && y1 >= m_height))
        return;
    if (x0 == x1) {
        fillColumn(x0, y0, y1, colour);
        return;
    }
    const int dx = std::abs(x1 - x0);
    const int dy = -std::abs(y1 - y0);
    const int sx = x0 < x1 ? 1 : -1;
    const int sy = y0 < y1 ? 1 : -1;
    int error = dx + dy;
    // Long off-screen stretches are rare here (the buckets cover the visible range), so a
    // per-pixel bounds check is cheaper than clipping.
    for (;;) {
        plot(x0, y0, colour);
        if (x0 == x1 && y0 == y1)
            break;
        const int twice = 2 * error;
        if (twice >= dy) {
            error += dy;
            x0 += sx;
        }
        if (twice <= dx) {
            error += dx;
            y0 += sy;
        }
    }
}

} // namespace eventscope::ui
