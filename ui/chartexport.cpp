#include "chartexport.h"

#include <QAction>
#include <QBuffer>
#include <QChart>
#include <QChartView>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QGraphicsLayout>
#include <QGraphicsScene>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QImage>
#include <QPainter>
#include <QSaveFile>
#include <QStandardPaths>
#include <QSvgGenerator>
#include <QToolButton>

namespace swb {

namespace {

// Where the next export dialog starts: the folder of the last export in this session.
QString& lastExportDir()
{
    static QString dir;
    if (dir.isEmpty()) {
        dir = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
        if (dir.isEmpty() || !QFileInfo(dir).isDir())
            dir = QDir::homePath();
    }
    return dir;
}

Error writeError(const QString& path, const QString& reason)
{
    return Error{ErrorCode::Storage,
                 ChartExporter::tr("Cannot write “%1”: %2").arg(QDir::toNativeSeparators(path), reason),
                 path,
                 0,
                 0,
                 {}};
}

QString csvField(const QString& field)
{
    if (!field.contains(QLatin1Char(',')) && !field.contains(QLatin1Char('"')) &&
        !field.contains(QLatin1Char('\n')) && !field.contains(QLatin1Char('\r')))
        return field;
    QString quoted = field;
    quoted.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QString csvLine(const QStringList& fields)
{
    QStringList out;
    out.reserve(fields.size());
    for (const QString& f : fields)
        out << csvField(f);
    return out.join(QLatin1Char(',')) + QLatin1Char('\n');
}

// The chart's size, or an error when it has never been laid out.
Result<QSizeF> renderSize(QChart* chart)
{
    const QSizeF size = chart ? chart->size() : QSizeF();
    if (!chart || !chart->scene() || size.width() < 1 || size.height() < 1)
        return Error{ErrorCode::InvalidArgument,
                     ChartExporter::tr("The chart has nothing to draw yet."),
                     {},
                     0,
                     0,
                     {}};
    return size;
}

void paintChart(QChart* chart, QPainter& painter, const QSizeF& size)
{
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    chart->scene()->render(&painter, QRectF(QPointF(0, 0), size), chart->sceneBoundingRect(),
                           Qt::IgnoreAspectRatio);
}

} // namespace

Status writeFileBytes(const QString& path, const QByteArray& bytes)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return writeError(path, file.errorString());
    if (file.write(bytes) != bytes.size()) {
        const QString reason = file.errorString();
        file.cancelWriting();
        return writeError(path, reason);
    }
    if (!file.commit())
        return writeError(path, file.errorString());
    return {};
}

QString toCsv(const ChartTable& table)
{
    QString out = csvLine(table.header);
    for (const QStringList& row : table.rows)
        out += csvLine(row);
    return out;
}

Status writeChartPng(QChart* chart, const QString& path, qreal scale)
{
    const auto size = renderSize(chart);
    if (!size)
        return writeError(path, size.error().message);
    QImage image((size.value() * scale).toSize(), QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(scale);
    image.fill(Qt::white);
    {
        QPainter painter(&image);
        paintChart(chart, painter, size.value());
    }
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (!image.save(&buffer, "PNG"))
        return writeError(path, ChartExporter::tr("the image could not be encoded as PNG"));
    return writeFileBytes(path, bytes);
}

Status writeChartSvg(QChart* chart, const QString& path, const QString& title)
{
    const auto size = renderSize(chart);
    if (!size)
        return writeError(path, size.error().message);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator generator;
    generator.setOutputDevice(&buffer);
    generator.setSize(size.value().toSize());
    generator.setViewBox(QRectF(QPointF(0, 0), size.value()));
    generator.setTitle(title);
    generator.setDescription(ChartExporter::tr("Exported from Scene Workbench"));
    {
        QPainter painter;
        if (!painter.begin(&generator))
            return writeError(path, ChartExporter::tr("the SVG could not be drawn"));
        painter.fillRect(QRectF(QPointF(0, 0), size.value()), Qt::white);
        paintChart(chart, painter, size.value());
    }
    return writeFileBytes(path, bytes);
}

Status writeCsv(const ChartTable& table, const QString& path)
{
    return writeFileBytes(path, toCsv(table).toUtf8());
}

// ChartExporter ----------------------------------------------------------------------------------

ChartExporter::ChartExporter(QChartView* view, TableFunction table, QObject* parent)
    : QObject(parent), m_view(view), m_table(std::move(table)), m_fileStem(QStringLiteral("chart"))
{
    auto* png = new QAction(tr("Export PNG…"), this);
    png->setToolTip(tr("Save the chart as a PNG image at twice its size on screen"));
    auto* svg = new QAction(tr("Export SVG…"), this);
    svg->setToolTip(tr("Save the chart as an SVG vector image"));
    auto* csv = new QAction(tr("Export CSV…"), this);
    csv->setToolTip(tr("Save the chart's numbers as a CSV table"));
    connect(png, &QAction::triggered, this, &ChartExporter::choosePng);
    connect(svg, &QAction::triggered, this, &ChartExporter::chooseSvg);
    connect(csv, &QAction::triggered, this, &ChartExporter::chooseCsv);
    m_actions = {png, svg, csv};
    m_view->addActions(m_actions);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
}

QWidget* ChartExporter::createButtons(QWidget* parent)
{
    auto* row = new QWidget(parent);
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    static const char* const names[] = {"exportPngButton", "exportSvgButton", "exportCsvButton"};
    for (qsizetype i = 0; i < m_actions.size(); ++i) {
        auto* button = new QToolButton(row);
        button->setObjectName(QString::fromLatin1(names[i]));
        button->setDefaultAction(m_actions[i]);
        button->setToolButtonStyle(Qt::ToolButtonTextOnly);
        button->setAutoRaise(true);
        button->setFocusPolicy(Qt::StrongFocus);
        layout->addWidget(button);
    }
    return row;
}

void ChartExporter::setEnabled(bool enabled)
{
    for (QAction* action : std::as_const(m_actions))
        action->setEnabled(enabled);
}

void ChartExporter::choosePng()
{
    choose(Kind::Png);
}

void ChartExporter::chooseSvg()
{
    choose(Kind::Svg);
}

void ChartExporter::chooseCsv()
{
    choose(Kind::Csv);
}

QString chooseExportFile(QWidget* parent, const QString& title, const QString& filter, const QString& suffix,
                         const QString& stem)
{
    QFileDialog dialog(parent, title, QDir(lastExportDir()).filePath(stem + QLatin1Char('.') + suffix),
                       filter);
    dialog.setObjectName(QStringLiteral("chartExportDialog"));
    dialog.setAcceptMode(QFileDialog::AcceptSave);
    dialog.setFileMode(QFileDialog::AnyFile);
    dialog.setDefaultSuffix(suffix);
    // The platform's own dialog cannot be driven by a test; offscreen has none anyway.
    if (QGuiApplication::platformName() == QLatin1String("offscreen"))
        dialog.setOption(QFileDialog::DontUseNativeDialog);
    if (dialog.exec() != QDialog::Accepted || dialog.selectedFiles().isEmpty())
        return {};
    const QString path = dialog.selectedFiles().constFirst();
    lastExportDir() = QFileInfo(path).absolutePath();
    return path;
}

void ChartExporter::choose(Kind kind)
{
    QString title;
    QString filter;
    QString suffix;
    switch (kind) {
    case Kind::Png:
        title = tr("Export Chart as PNG");
        filter = tr("PNG images (*.png)");
        suffix = QStringLiteral("png");
        break;
    case Kind::Svg:
        title = tr("Export Chart as SVG");
        filter = tr("SVG images (*.svg)");
        suffix = QStringLiteral("svg");
        break;
    case Kind::Csv:
        title = tr("Export Chart Data as CSV");
        filter = tr("CSV files (*.csv)");
        suffix = QStringLiteral("csv");
        break;
    }
    const QString path = chooseExportFile(m_view->window(), title, filter, suffix, m_fileStem);
    if (path.isEmpty())
        return;
    switch (kind) {
    case Kind::Png:
        exportPng(path);
        break;
    case Kind::Svg:
        exportSvg(path);
        break;
    case Kind::Csv:
        exportCsv(path);
        break;
    }
}

QChart* ChartExporter::laidOutChart() const
{
    // A chart on a tab never shown has not been laid out at its view's size yet.
    QChart* chart = m_view->chart();
    if (chart && chart->size() != QSizeF(m_view->size())) {
        chart->resize(m_view->size());
        if (chart->layout())
            chart->layout()->activate();
    }
    return chart;
}

bool ChartExporter::exportPng(const QString& path)
{
    return finish(writeChartPng(laidOutChart(), path), path);
}

bool ChartExporter::exportSvg(const QString& path)
{
    QChart* chart = laidOutChart();
    return finish(writeChartSvg(chart, path, chart ? chart->title() : QString()), path);
}

bool ChartExporter::exportCsv(const QString& path)
{
    return finish(writeCsv(m_table ? m_table() : ChartTable{}, path), path);
}

bool ChartExporter::finish(const Status& status, const QString& path)
{
    if (!status) {
        emit exportFailed(status.error().message);
        return false;
    }
    emit exported(path);
    return true;
}

} // namespace swb
