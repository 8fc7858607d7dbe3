// Learning cases built from a prepared run, and the counting next-item models (popularity,
// sequential rules, session-kNN), on a hand-made run whose every number is worked out below.

#include "testsupport.h"

#include "core/models/itemrecommenders.h"
#include "core/models/taskdata.h"

#include <QTest>

using namespace swb;

namespace {

constexpr std::int64_t kT0 = 1511500000;

struct Ev
{
    const char* item;
    Behaviour behaviour;
};

// Sessions of events (one user each, a minute apart) with their split, prepared by hand: rows in
// session order, features fitted on the training rows. Items get codes in order of appearance.
PreparedData prepared(const std::vector<std::pair<SplitPart, std::vector<Ev>>>& sessions)
{
    auto t = std::make_shared<EventTable>();
    PreparedData d;
    d.sessionBegin.push_back(0);
    std::vector<std::uint32_t> trainRows;
    std::int64_t ts = kT0;
    int user = 0;
    for (const auto& [part, events] : sessions) {
        const std::string userId = "u" + std::to_string(user++);
        for (const Ev& e : events) {
            const auto row = static_cast<std::uint32_t>(t->size());
            t->user.push_back(t->users.intern(userId));
            t->item.push_back(t->items.intern(e.item));
            t->category.push_back(t->categories.intern("c"));
            t->behaviour.push_back(static_cast<std::uint8_t>(e.behaviour));
            t->ts.push_back(ts += 60);
            d.rows.push_back(row);
            if (part == SplitPart::Train)
                trainRows.push_back(row);
        }
        d.sessionBegin.push_back(d.rows.size());
        d.sessionPart.push_back(part);
    }
    d.events = t;
    d.features.fitStatistics(*t, trainRows);
    d.features.beginScaler(Scaling::MinMax);
    d.features.endScaler();
    return d;
}

constexpr auto V = Behaviour::View;
constexpr auto C = Behaviour::Cart;
constexpr auto B = Behaviour::Buy;
constexpr auto Tr = SplitPart::Train;
constexpr auto Va = SplitPart::Validation;
constexpr auto Te = SplitPart::Test;

// Train: s0 = A B C, s1 = B C D; validation: s2 = A B; test: s3 = C E D (E never in training).
PreparedData browsing()
{
    return prepared({{Tr, {{"A", V}, {"B", V}, {"C", V}}},
                     {Tr, {{"B", V}, {"C", V}, {"D", V}}},
                     {Va, {{"A", V}, {"B", V}}},
                     {Te, {{"C", V}, {"E", V}, {"D", V}}}});
}

std::vector<float> scores(const Recommender& model, const NextItemData& data, const CaseRef& c)
{
    std::vector<float> s(model.catalogueSize());
    model.score(data.contextBegin(c), data.contextEnd(c), s.data());
    return s;
}

} // namespace

class TestModels : public QObject
{
    Q_OBJECT

private slots:
    void nextItemCases();
    void popularityRanks();
    void sequentialRules();
    void sessionKnn();
    void rankAndTopK();
    void intentCases();
    void purchaseCases();
    void refusesWhatCannotBeLearned();
    void refusesBadParams();
};

void TestModels::nextItemCases()
{
    auto d = buildNextItemData(browsing(), CancelToken());
    QVERIFY(d.ok());
    // The catalogue is the training items A B C D in code order; E (code 4) is outside it.
    QCOMPARE(d->catalogue.size(), 4u);
    QCOMPARE(d->catalogue.trainingCount, (std::vector<std::int64_t>{1, 2, 2, 1}));
    QCOMPARE(d->catalogue.indexOfCode[4], Catalogue::kNoItem);
    // A case at every position >= 1: 2 + 2 in training, 1 in validation, 2 in test.
    QCOMPARE(d->part(SplitPart::Train).size(), std::size_t(4));
    QCOMPARE(d->part(SplitPart::Validation).size(), std::size_t(1));
    QCOMPARE(d->part(SplitPart::Test).size(), std::size_t(2));
    // The test case at position 1 targets E: kept, and counted as unseen.
    const CaseRef first = d->part(SplitPart::Test)[0];
    QCOMPARE(d->target(first), Catalogue::kNoItem);
    QCOMPARE(d->unseenTargets[int(SplitPart::Test)], 1);
    QCOMPARE(d->unseenTargets[int(SplitPart::Train)], 0);
    const CaseRef second = d->part(SplitPart::Test)[1];
    QCOMPARE(d->target(second), 3u); // D
    QCOMPARE(int(d->contextEnd(second) - d->contextBegin(second)), 2);
    QCOMPARE(d->contextBegin(second)[0], 2u); // C
    QCOMPARE(d->contextBegin(second)[1], Catalogue::kNoItem);
}

void TestModels::popularityRanks()
{
    auto d = buildNextItemData(browsing(), CancelToken());
    QVERIFY(d.ok());
    const PopularityRecommender pop(d->catalogue);
    const CaseRef c = d->part(SplitPart::Test)[1];
    const auto s = scores(pop, *d, c);
    // Counts A1 B2 C2 D1: B and C first (B by its lower index), then A, then D.
    QCOMPARE(rankOf(s.data(), 4, 1), 1u);
    QCOMPARE(rankOf(s.data(), 4, 2), 2u);
    QCOMPARE(rankOf(s.data(), 4, 0), 3u);
    QCOMPARE(rankOf(s.data(), 4, 3), 4u);
}

void TestModels::sequentialRules()
{
    auto d = buildNextItemData(browsing(), CancelToken());
    QVERIFY(d.ok());
    auto rules = SequentialRulesRecommender::train(*d, {}, CancelToken());
    QVERIFY(rules.ok());
    // s0 gives A→B 1, B→C 1, A→C 1/2; s1 gives B→C 1, C→D 1, B→D 1/2. Merged: A→{B 1, C .5},
    // B→{C 2, D .5}, C→{D 1}: five rules.
    QCOMPARE(rules.value()->ruleCount(), std::size_t(5));
    // Context C E: E is outside the catalogue, so C's rules answer: D first.
    const CaseRef c = d->part(SplitPart::Test)[1];
    auto s = scores(*rules.value(), *d, c);
    QCOMPARE(rankOf(s.data(), 4, 3), 1u);
    QVERIFY(std::abs(s[3] - 1.0f) < 1e-3f);
    // Context A (validation): B (1) before C (.5); D has no rule and is last.
    const CaseRef v = d->part(SplitPart::Validation)[0];
    s = scores(*rules.value(), *d, v);
    QCOMPARE(rankOf(s.data(), 4, 1), 1u);
    QCOMPARE(rankOf(s.data(), 4, 2), 2u);
    QCOMPARE(rankOf(s.data(), 4, 3), 4u);
    // With a window of 1 only adjacent pairs count: A→C disappears.
    auto adjacent = SequentialRulesRecommender::train(*d, {1}, CancelToken());
    QVERIFY(adjacent.ok());
    QCOMPARE(adjacent.value()->ruleCount(), std::size_t(3));
}

void TestModels::sessionKnn()
{
    auto d = buildNextItemData(browsing(), CancelToken());
    QVERIFY(d.ok());
    auto knn = SessionKnnRecommender::train(*d, {}, CancelToken());
    QVERIFY(knn.ok());
    // Context C E → items {C}. Both training sessions hold C, each with cosine 1/sqrt(1·3):
    // A .577, B 1.155, C 1.155, D .577 (plus popularity below 1e-6 as the tie-break).
    const CaseRef c = d->part(SplitPart::Test)[1];
    const auto s = scores(*knn.value(), *d, c);
    const float vote = 1.0f / std::sqrt(3.0f);
    QVERIFY(std::abs(s[0] - vote) < 1e-5f);
    QVERIFY(std::abs(s[1] - 2 * vote) < 1e-5f);
    QCOMPARE(rankOf(s.data(), 4, 3), 4u); // D ties A on votes and popularity, A has the lower index
    // Only the most similar neighbour votes with k = 1: context A (validation) matches s0 only
    // (A is not in s1), so D gets nothing.
    auto nearest = SessionKnnRecommender::train(*d, {1, 500}, CancelToken());
    QVERIFY(nearest.ok());
    const CaseRef v = d->part(SplitPart::Validation)[0];
    const auto t = scores(*nearest.value(), *d, v);
    QVERIFY(t[3] < 1e-5f);
    QVERIFY(t[1] > 0.5f);
}

void TestModels::rankAndTopK()
{
    const std::vector<float> s = {0.5f, 2.0f, 0.5f, -1.0f, 2.0f};
    // 2.0 at 1 and 4, then 0.5 at 0 and 2, then -1 at 3: ties go to the lower index.
    QCOMPARE(rankOf(s.data(), 5, 1), 1u);
    QCOMPARE(rankOf(s.data(), 5, 4), 2u);
    QCOMPARE(rankOf(s.data(), 5, 0), 3u);
    QCOMPARE(rankOf(s.data(), 5, 3), 5u);
    std::vector<std::uint32_t> top;
    topK(s.data(), 5, 3, top);
    QCOMPARE(top, (std::vector<std::uint32_t>{1, 4, 0}));
    topK(s.data(), 5, 10, top);
    QCOMPARE(top, (std::vector<std::uint32_t>{1, 4, 0, 2, 3}));
}

void TestModels::intentCases()
{
    // s0 view cart buy, s1 view view (train); s2 view cart (validation); s3 view buy (test).
    const PreparedData run = prepared({{Tr, {{"A", V}, {"A", C}, {"A", B}}},
                                       {Tr, {{"B", V}, {"C", V}}},
                                       {Va, {{"A", V}, {"A", C}}},
                                       {Te, {{"B", V}, {"B", B}}}});
    auto d = buildClassificationData(run, Task::Intent, CancelToken());
    QVERIFY2(d.ok(), qPrintable(d.ok() ? QString() : d.error().message));
    // Classes: the behaviours present, in canonical order (no fav, no remove_from_cart here).
    QCOMPARE(d->labels, (QStringList{QStringLiteral("view"), QStringLiteral("cart"), QStringLiteral("buy")}));
    QCOMPARE(d->width, 18);
    // Every event but a session's last: 2 + 1 training cases, labels cart, buy, view.
    const FeatureCases& train = d->part(SplitPart::Train);
    QCOMPARE(train.y, (std::vector<std::int32_t>{1, 2, 0}));
    QCOMPARE(train.x.size(), std::size_t(3 * 18));
    // The one-hot of the current behaviour: the second case is at the cart event.
    QCOMPARE(train.x[18 + 13 + int(Behaviour::Cart)], 1.0f);
    QCOMPARE(train.x[18 + 13 + int(Behaviour::View)], 0.0f);
    QCOMPARE(train.refs[1].session, 0u);
    QCOMPARE(train.refs[1].position, 1u);
    QCOMPARE(d->part(SplitPart::Test).y, (std::vector<std::int32_t>{2}));
}

void TestModels::purchaseCases()
{
    // s0: view cart buy → one cart-scene case (the cart), converted. s1: view cart view view →
    // three cart-scene cases, none converted. s2 (validation): cart view buy → two cases, both
    // converted. s3 (test): cart → one case, not converted.
    const PreparedData run = prepared({{Tr, {{"A", V}, {"A", C}, {"A", B}}},
                                       {Tr, {{"B", V}, {"B", C}, {"C", V}, {"D", V}}},
                                       {Va, {{"A", C}, {"B", V}, {"A", B}}},
                                       {Te, {{"B", C}}}});
    auto d = buildClassificationData(run, Task::Purchase, CancelToken());
    QVERIFY2(d.ok(), qPrintable(d.ok() ? QString() : d.error().message));
    QCOMPARE(d->labels, (QStringList{QStringLiteral("no_purchase"), QStringLiteral("purchase")}));
    QCOMPARE(d->part(SplitPart::Train).y, (std::vector<std::int32_t>{1, 0, 0, 0}));
    QCOMPARE(d->part(SplitPart::Validation).y, (std::vector<std::int32_t>{1, 1}));
    QCOMPARE(d->part(SplitPart::Test).y, (std::vector<std::int32_t>{0}));
    QCOMPARE(d->part(SplitPart::Train).refs[0].position, 1u);
}

void TestModels::refusesWhatCannotBeLearned()
{
    // No cart in the test split: nothing to test a purchase model on.
    const PreparedData noCart = prepared({{Tr, {{"A", V}, {"A", C}, {"A", B}}},
                                          {Tr, {{"B", C}, {"B", V}}},
                                          {Va, {{"A", C}}},
                                          {Te, {{"B", V}, {"C", V}}}});
    auto purchase = buildClassificationData(noCart, Task::Purchase, CancelToken());
    QVERIFY(!purchase.ok());
    QCOMPARE(purchase.error().code, ErrorCode::InputRejected);
    QVERIFY2(purchase.error().message.contains(QStringLiteral("test")), qPrintable(purchase.error().message));
    // Every training next behaviour is a view: one class.
    const PreparedData views =
        prepared({{Tr, {{"A", V}, {"B", V}}}, {Va, {{"A", V}, {"A", B}}}, {Te, {{"B", V}, {"B", C}}}});
    auto intent = buildClassificationData(views, Task::Intent, CancelToken());
    QVERIFY(!intent.ok());
    QVERIFY2(intent.error().message.contains(QStringLiteral("\"view\"")), qPrintable(intent.error().message));
    // Single-event sessions in validation: no next item to predict there.
    const PreparedData single =
        prepared({{Tr, {{"A", V}, {"B", V}}}, {Va, {{"A", V}}}, {Te, {{"B", V}, {"A", V}}}});
    auto next = buildNextItemData(single, CancelToken());
    QVERIFY(!next.ok());
    QVERIFY2(next.error().message.contains(QStringLiteral("validation")), qPrintable(next.error().message));
}

void TestModels::refusesBadParams()
{
    auto d = buildNextItemData(browsing(), CancelToken());
    QVERIFY(d.ok());
    auto rules = SequentialRulesRecommender::train(*d, {0}, CancelToken());
    QVERIFY(!rules.ok());
    QCOMPARE(rules.error().field, QStringLiteral("window"));
    auto knn = SessionKnnRecommender::train(*d, {50, 10}, CancelToken());
    QVERIFY(!knn.ok());
    QCOMPARE(knn.error().field, QStringLiteral("sample_size"));
    knn = SessionKnnRecommender::train(*d, {0, 10}, CancelToken());
    QVERIFY(!knn.ok());
    QCOMPARE(knn.error().field, QStringLiteral("neighbours"));
}

QTEST_GUILESS_MAIN(TestModels)
#include "test_models.moc"
