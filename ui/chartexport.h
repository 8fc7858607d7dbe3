#pragma once

#include "core/util/result.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>

class QAction;
class QWidget;

QT_BEGIN_NAMESPACE
class QChart;
class QChartView;
QT_END_NAMESPACE

namespace swb {

// The numbers behind one chart, as the CSV export writes them: a header row, then one row per
// bar, point or slice. Fields are plain text (numbers unformatted, ids as their original text).
struct ChartTable
{
    QStringList header;
    QList<QStringList> rows;
};

// RFC 4180 CSV: fields holding a comma, a quote or a line break are quoted, quotes doubled; lines
// end with "\n".
QString toCsv(const ChartTable& table);

// Each writes the whole file or nothing (QSaveFile); a failure's message names the file.
// PNG: the chart drawn at `scale` times its size on screen (crisp on high-DPI displays and in print).
Status writeChartPng(QChart* chart, const QString& path, qreal scale = 2.0);
// SVG: the chart as vector graphics at its size on screen.
Status writeChartSvg(QChart* chart, const QString& path, const QString& title);
Status writeCsv(const ChartTable& table, const QString& path);
// Any bytes, whole or not at all; the error names the file.
Status writeFileBytes(const QString& path, const QByteArray& bytes);

// The save dialog of every export: starts in the folder of the last export with stem.suffix
// suggested; non-native on the offscreen platform so tests can drive it. Empty when cancelled.
QString chooseExportFile(QWidget* parent, const QString& title, const QString& filter, const QString& suffix,
                         const QString& stem);

// The export commands of one chart: "Export PNG…", "Export SVG…" and "Export CSV…", in the chart
// view's context menu and as a row of buttons (createButtons). Each asks for a file name
// (a non-native QFileDialog on the offscreen platform, so tests can drive it) and reports the
// outcome through exported() or exportFailed().
class ChartExporter : public QObject
{
    Q_OBJECT
public:
    using TableFunction = std::function<ChartTable()>;

    // table: the chart's numbers, asked for when CSV is exported.
    ChartExporter(QChartView* view, TableFunction table, QObject* parent = nullptr);

    QChartView* view() const { return m_view; }
    QList<QAction*> actions() const { return m_actions; }
    // Export PNG…, Export SVG…, Export CSV… as tool buttons in a row, right-aligned.
    QWidget* createButtons(QWidget* parent);

    // The suggested file name without extension, e.g. "taobao-funnel".
    void setFileStem(const QString& stem) { m_fileStem = stem; }
    QString fileStem() const { return m_fileStem; }
    // Disabled while the chart shows nothing.
    void setEnabled(bool enabled);

    // Without a dialog (what the commands do once a file is chosen). False on a write error.
    bool exportPng(const QString& path);
    bool exportSvg(const QString& path);
    bool exportCsv(const QString& path);

public slots:
    void choosePng();
    void chooseSvg();
    void chooseCsv();

signals:
    void exported(const QString& path);
    void exportFailed(const QString& message);

private:
    enum class Kind
    {
        Png,
        Svg,
        Csv
    };
    void choose(Kind kind);
    QChart* laidOutChart() const;
    bool finish(const Status& status, const QString& path);

    QChartView* m_view = nullptr;
    TableFunction m_table;
    QString m_fileStem;
    QList<QAction*> m_actions;
};

} // namespace swb
