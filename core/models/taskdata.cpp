#include "taskdata.h"

#include <QCoreApplication>

#include <algorithm>

namespace swb {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(swb::TaskData)
};

constexpr std::size_t kCancelEvery = 4096; // sessions between cancel checks

Error rejected(const QString& message)
{
    return Error{ErrorCode::InputRejected, message, {}, 0, 0, {}};
}

// Whether the session, after its event at `position`, is in the cart scene: a cart event not yet
// followed by a purchase, and the event itself is not the purchase.
class CartScene
{
public:
    void add(Behaviour b)
    {
        if (b == Behaviour::Cart)
            m_openCart = true;
        else if (b == Behaviour::Buy)
            m_openCart = false;
        m_current = b;
    }
    bool active() const { return m_openCart && m_current != Behaviour::Buy; }

private:
    bool m_openCart = false;
    Behaviour m_current = Behaviour::View;
};

} // namespace

QString taskKey(Task task)
{
    switch (task) {
    case Task::Intent:
        return QStringLiteral("intent");
    case Task::NextItem:
        return QStringLiteral("next-item");
    case Task::Purchase:
        return QStringLiteral("purchase");
    }
    return {};
}

std::optional<Task> taskFromKey(const QString& key)
{
    for (Task t : {Task::Intent, Task::NextItem, Task::Purchase}) {
        if (taskKey(t) == key)
            return t;
    }
    return std::nullopt;
}

Result<ClassificationData> buildClassificationData(const PreparedData& data, Task task,
                                                   const CancelToken& cancel)
{
    Q_ASSERT(task != Task::NextItem);
    const EventTable& events = *data.events;
    ClassificationData out;
    out.task = task;
    for (int f = 0; f < kFeatureCount; ++f)
        out.featureNames << featureKey(static_cast<Feature>(f));
    for (Behaviour b : kAllBehaviours)
        out.featureNames << QStringLiteral("current_") + QString::fromLatin1(behaviourKey(b).data());
    out.width = static_cast<int>(out.featureNames.size());

    // Class values: for intent the behaviours the run holds, in their canonical order.
    std::array<std::int32_t, kBehaviourCount> classOf{};
    classOf.fill(-1);
    if (task == Task::Intent) {
        std::array<bool, kBehaviourCount> present{};
        for (const std::uint32_t row : data.rows)
            present[events.behaviour[row]] = true;
        for (Behaviour b : kAllBehaviours) {
            if (present[static_cast<std::size_t>(b)]) {
                classOf[static_cast<std::size_t>(b)] = static_cast<std::int32_t>(out.labels.size());
                out.labels << QString::fromLatin1(behaviourKey(b).data());
            }
        }
    } else {
        out.labels << QStringLiteral("no_purchase") << QStringLiteral("purchase");
    }

    const std::size_t width = static_cast<std::size_t>(out.width);
    SessionState state;
    for (std::size_t s = 0; s < data.sessionCount(); ++s) {
        if (s % kCancelEvery == 0 && cancel.isCancelled())
            return cancelledError();
        FeatureCases& part = out.parts[static_cast<std::size_t>(data.sessionPart[s])];
        const std::uint64_t begin = data.sessionBegin[s];
        const std::uint64_t end = data.sessionBegin[s + 1];
        // Purchase labels need the future of the session: the position of its last purchase.
        std::uint64_t lastBuy = end;
        if (task == Task::Purchase) {
            for (std::uint64_t i = begin; i < end; ++i) {
                if (events.behaviourAt(data.rows[i]) == Behaviour::Buy)
                    lastBuy = i;
            }
        }
        state.reset();
        CartScene cart;
        for (std::uint64_t i = begin; i < end; ++i) {
            const std::uint32_t row = data.rows[i];
            state.add(events, row);
            const Behaviour current = events.behaviourAt(row);
            cart.add(current);
            std::int32_t label = -1;
            if (task == Task::Intent) {
                if (i + 1 < end)
                    label = classOf[events.behaviour[data.rows[i + 1]]];
            } else if (cart.active()) {
                label = lastBuy != end && lastBuy > i ? 1 : 0;
            }
            if (label < 0)
                continue;
            const FeatureVector scaled = data.features.scaled(data.features.raw(events, state));
            const std::size_t at = part.x.size();
            part.x.resize(at + width, 0.0f);
            std::copy(scaled.begin(), scaled.end(), part.x.begin() + static_cast<std::ptrdiff_t>(at));
            part.x[at + kFeatureCount + static_cast<std::size_t>(current)] = 1.0f;
            part.y.push_back(label);
            part.refs.push_back({static_cast<std::uint32_t>(s), static_cast<std::uint32_t>(i - begin)});
        }
    }

    for (int p = 0; p < kSplitPartCount; ++p) {
        if (out.parts[static_cast<std::size_t>(p)].size() == 0)
            return rejected(
                task == Task::Purchase
                    ? Tr::tr("the %1 split has no session with a cart event, so there is nothing to "
                             "learn or test a purchase model on")
                          .arg(splitPartKey(static_cast<SplitPart>(p)))
                    : Tr::tr("the %1 split has no session with two or more events, so there is no next "
                             "behaviour to predict")
                          .arg(splitPartKey(static_cast<SplitPart>(p))));
    }
    std::vector<std::int64_t> support(static_cast<std::size_t>(out.labels.size()), 0);
    for (const std::int32_t y : out.part(SplitPart::Train).y)
        ++support[static_cast<std::size_t>(y)];
    const auto classes = std::count_if(support.begin(), support.end(), [](std::int64_t n) { return n > 0; });
    if (classes < 2) {
        const auto only = std::find_if(support.begin(), support.end(), [](std::int64_t n) { return n > 0; });
        return rejected(Tr::tr("every training case has the class \"%1\": a model needs at least two "
                               "classes to learn from")
                            .arg(out.labels[static_cast<qsizetype>(only - support.begin())]));
    }
    return out;
}

Result<NextItemData> buildNextItemData(const PreparedData& data, const CancelToken& cancel)
{
    const EventTable& events = *data.events;
    NextItemData out;
    Catalogue& catalogue = out.catalogue;
    catalogue.indexOfCode.assign(events.items.size(), Catalogue::kNoItem);
    std::vector<std::int64_t> counts(events.items.size(), 0);
    for (std::size_t s = 0; s < data.sessionCount(); ++s) {
        if (data.sessionPart[s] != SplitPart::Train)
            continue;
        for (std::uint64_t i = data.sessionBegin[s]; i < data.sessionBegin[s + 1]; ++i)
            ++counts[events.item[data.rows[i]]];
    }
    for (std::uint32_t code = 0; code < counts.size(); ++code) {
        if (counts[code] > 0) {
            catalogue.indexOfCode[code] = catalogue.size();
            catalogue.itemCode.push_back(code);
            catalogue.trainingCount.push_back(counts[code]);
        }
    }
    if (catalogue.size() == 0)
        return rejected(Tr::tr("the training split has no item to recommend"));

    out.items.resize(data.rows.size());
    for (std::size_t i = 0; i < data.rows.size(); ++i)
        out.items[i] = catalogue.indexOfCode[events.item[data.rows[i]]];
    out.sessionBegin = data.sessionBegin;
    for (std::size_t s = 0; s < data.sessionCount(); ++s) {
        if (s % kCancelEvery == 0 && cancel.isCancelled())
            return cancelledError();
        const auto p = static_cast<std::size_t>(data.sessionPart[s]);
        const auto length = static_cast<std::uint32_t>(data.sessionLength(s));
        for (std::uint32_t position = 1; position < length; ++position) {
            const CaseRef c{static_cast<std::uint32_t>(s), position};
            out.parts[p].push_back(c);
            out.unseenTargets[p] += out.target(c) == Catalogue::kNoItem ? 1 : 0;
        }
    }
    for (int p = 0; p < kSplitPartCount; ++p) {
        if (out.parts[static_cast<std::size_t>(p)].empty())
            return rejected(Tr::tr("the %1 split has no session with two or more events, so there is no "
                                   "next item to predict")
                                .arg(splitPartKey(static_cast<SplitPart>(p))));
    }
    return out;
}

} // namespace swb
