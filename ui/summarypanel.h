#pragma once

#include <QGroupBox>

#include <utility>
#include <vector>

class QLabel;

namespace swb {

struct DatasetInfo;

// The counts of the dataset shown: events, users, items, categories, sessions, events per
// behaviour, first and last time (UTC) and rows rejected at import.
class SummaryPanel : public QGroupBox
{
    Q_OBJECT
public:
    explicit SummaryPanel(QWidget* parent = nullptr);

    void showDataset(const DatasetInfo& info);
    void clear();
    // The text shown for a key: events, users, items, categories, sessions, first, last, rejected,
    // or a behaviour key (view, fav, cart, remove_from_cart, buy).
    QString valueText(const QString& key) const;

private:
    void setValue(const QString& key, const QString& text);

    QLabel* m_title = nullptr;
    std::vector<std::pair<QString, QLabel*>> m_values;
};

} // namespace swb
