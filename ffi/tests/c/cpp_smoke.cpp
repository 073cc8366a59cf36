// The header from C++ (the guide's C++ snippet): RAII owners for the policy and
// the returned strings. Built and run by .ci/steps/30-ffi.sh.
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "linkpolicy.h"

struct PolicyDeleter { void operator()(lp_policy *p) const { lp_policy_free(p); } };
struct StringDeleter { void operator()(char *s) const { lp_string_free(s); } };
using Policy = std::unique_ptr<lp_policy, PolicyDeleter>;
using Owned = std::unique_ptr<char, StringDeleter>;

static Policy load(std::string_view toml) {
    char *error = nullptr;
    Policy p{lp_policy_from_toml(toml.data(), toml.size(), &error)};
    if (!p) {
        std::string message = Owned{error}.get();
        std::fprintf(stderr, "policy does not load: %s\n", message.c_str());
    }
    return p;
}

int main() {
    Policy policy = load("version = 1\n[defaults]\none_to_one = \"warn\"\ngroup = \"block\"\n");
    if (!policy) return 1;
    std::string_view request = R"({"link": "https://item.jd.com/1.html", "chat": "group", "members": 250})";
    Owned verdict{lp_classify(policy.get(), request.data(), request.size())};
    std::string_view link = "https://item.jd.com/1.html";
    lp_action one = lp_classify_action(policy.get(), link.data(), link.size(), LP_CHAT_KIND_ONE_TO_ONE, 0);
    std::printf("%s\n", verdict.get());
    bool ok = std::string_view(verdict.get()).rfind(R"({"action":"block")", 0) == 0 && one == LP_ACTION_WARN;
    Policy bad = load("version = 1\n[[rule]]\nid = \"r\"\nacton = \"block\"\ndomain = \"a.example\"\n");
    ok = ok && !bad;
    std::printf("%s\n", ok ? "1 passed, 0 failed" : "0 passed, 1 failed");
    return ok ? 0 : 1;
}
