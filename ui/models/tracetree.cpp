#include "tracetree.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

namespace eventscope::ui {

TraceTree TraceTree::build(std::vector<Span> spans)
{
    TraceTree tree;
    {
        std::unordered_set<std::string> seen;
        seen.reserve(spans.size());
        std::erase_if(spans,
                      [&seen](const Span &span) { return !seen.insert(span.spanId).second; });
    }
    std::sort(spans.begin(), spans.end(), [](const Span &a, const Span &b) {
        return a.start != b.start ? a.start < b.start : a.end > b.end;
    });
    tree.spans = std::move(spans);
    const std::vector<Span> &all = tree.spans;
    if (all.empty())
        return tree;

    std::unordered_map<std::string_view, std::size_t> byId;
    byId.reserve(all.size());
    for (std::size_t i = 0; i < all.size(); ++i)
        byId.emplace(all[i].spanId, i);
    // Children by start time (the spans are sorted so), roots likewise.
    std::vector<std::vector<std::size_t>> children(all.size());
    std::vector<std::size_t> roots;
    tree.start = all.front().start;
    tree.end = all.front().end;
    for (std::size_t i = 0; i < all.size(); ++i) {
        tree.start = std::min(tree.start, all[i].start);
        tree.end = std::max(tree.end, all[i].end);
        const auto parent
            = all[i].parentSpanId.empty() ? byId.end() : byId.find(all[i].parentSpanId);
        if (parent == byId.end() || parent->second == i)
            roots.push_back(i);
        else
            children[parent->second].push_back(i);
    }

    // Depth first, iteratively: a 10k-span chain must not exhaust the stack.
    tree.rows.reserve(all.size());
    struct Pending
    {
        std::size_t span;
        int depth;
        int parent;
    };
    std::vector<Pending> stack;
    for (auto root = roots.rbegin(); root != roots.rend(); ++root)
        stack.push_back({*root, 0, -1});
    std::vector<int> rowOf(all.size(), -1);
    while (!stack.empty()) {
        const Pending next = stack.back();
        stack.pop_back();
        if (rowOf[next.span] >= 0)
            continue; // a cycle in bad data: each span once
        const int row = static_cast<int>(tree.rows.size());
        rowOf[next.span] = row;
        Row r;
        r.span = next.span;
        r.depth = next.depth;
        r.parent = next.parent;
        r.error = all[next.span].status == SpanStatus::Error;
        tree.rows.push_back(r);
        tree.maxDepth = std::max(tree.maxDepth, next.depth);
        if (r.error)
            ++tree.errors;
        const auto &kids = children[next.span];
        for (auto kid = kids.rbegin(); kid != kids.rend(); ++kid)
            stack.push_back({*kid, next.depth + 1, row});
    }
    // Errors below: children come after their parents, so one pass from the end.
    for (auto row = tree.rows.rbegin(); row != tree.rows.rend(); ++row) {
        if (row->parent >= 0 && (row->error || row->errorBelow))
            tree.rows[static_cast<std::size_t>(row->parent)].errorBelow = true;
    }
    // The critical path: from the root that ends last, the child that ends last, and so on.
    int at = -1;
    for (std::size_t i = 0; i < tree.rows.size(); ++i) {
        if (tree.rows[i].parent < 0 && (at < 0 || all[tree.rows[i].span].end > tree.spanAt(at).end))
            at = static_cast<int>(i);
    }
    while (at >= 0) {
        tree.rows[static_cast<std::size_t>(at)].critical = true;
        int latest = -1;
        for (std::size_t kid : children[tree.rows[static_cast<std::size_t>(at)].span]) {
            const int row = rowOf[kid];
            if (row >= 0 && tree.rows[static_cast<std::size_t>(row)].parent == at
                && (latest < 0 || all[kid].end > tree.spanAt(latest).end))
                latest = row;
        }
        at = latest;
    }
    return tree;
}

int TraceTree::errorOriginRow() const
{
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (rows[i].error && !rows[i].errorBelow)
            return static_cast<int>(i);
    }
    return -1;
}

} // namespace eventscope::ui
