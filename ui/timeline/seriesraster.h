#pragma once

#include <QImage>
#include <QRgb>

namespace eventscope::ui {

// Draws dense level-of-detail series (about one bucket per pixel column) straight into an
// image: a band column is a run of pixels, a line is Bresenham's. Where QPainter's cosmetic
// stroker spends about 100 ns per segment, a pixel costs a store: a week of 50 series at 1920
// columns is some 170k segments and 85k band columns a frame. Owned by one chart layer; the
// image is reused between paints. GUI thread.
class SeriesRaster
{
public:
    // Clears the image to transparent, resizing it when needed.
    void begin(QSize size);
    void fillColumn(int x, int top, int bottom, QRgb colour);
    void line(int x0, int y0, int x1, int y1, QRgb colour);
    const QImage &image() const { return m_image; }

private:
    void plot(int x, int y, QRgb colour)
    {
        if (static_cast<unsigned>(x) < static_cast<unsigned>(m_width)
            && static_cast<unsigned>(y) < static_cast<unsigned>(m_height))
            m_bits[static_cast<qsizetype>(y) * m_stride + x] = colour;
    }

    QImage m_image;
    QRgb *m_bits = nullptr;
    qsizetype m_stride = 0; // in pixels
    int m_width = 0;
    int m_height = 0;
};

} // namespace eventscope::ui
