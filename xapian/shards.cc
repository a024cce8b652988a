// shards.cc — an index spread over shards, named by a stub file (Xapian's
// format: one `auto PATH`, `glass PATH`, `chert PATH`, `remote HOST:PORT`
// or `remote :PROGRAM ARGS` per line, `#` comments).  Xapian can open such
// a file itself, but then one shard that is down fails every search, and
// a remote shard may keep a request waiting ten seconds.  Here each shard
// is opened on its own, a remote one with a bound on connecting and on
// every operation, and a shard that fails is replaced by an empty
// database in the same place (so every other shard's document ids stay
// what they were) until it answers again: the answers are partial, and
// say so, instead of failing or hanging.
#include "bridge.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <fstream>

namespace vbx
{

namespace
{

// Waits before trying a shard that went down again: 250 ms, doubling per
// failure up to 4 s, so that a shard behind a silent network costs one
// timeout every few seconds per searcher, not one per request.
constexpr unsigned RETRY_FIRST_MS = 250;
constexpr unsigned RETRY_MAX_MS = 4000;

[[noreturn]] void bad_line(const std::string &stub, unsigned line,
                           const std::string &why)
{
    throw Xapian::DatabaseOpeningError(stub + ":" + std::to_string(line) +
                                       ": " + why);
}

std::string trim(const std::string &s)
{
    size_t b = 0, e = s.size();
    while (b < e && std::isspace(static_cast<unsigned char>(s[b])))
        b++;
    while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1])))
        e--;
    return s.substr(b, e - b);
}

shard parse_line(const std::string &stub, unsigned number,
                 const std::string &type, const std::string &rest)
{
    shard s;
    if (type == "auto" || type == "glass" || type == "chert") {
        if (rest.empty())
            bad_line(stub, number, "'" + type + "' without a path");
        // Relative to the stub's own directory, as Xapian reads it.
        size_t slash = stub.rfind('/');
        s.path = rest[0] == '/' || slash == std::string::npos
                     ? rest
                     : stub.substr(0, slash + 1) + rest;
        s.name = rest;
        return s;
    }
    if (type != "remote")
        bad_line(stub, number,
                 "unknown shard type '" + type +
                     "' (auto, glass, chert or remote)");
    if (!rest.empty() && rest[0] == ':') {
        size_t space = rest.find(' ');
        s.program =
            rest.substr(1, space == std::string::npos ? space : space - 1);
        if (space != std::string::npos)
            s.args = trim(rest.substr(space + 1));
        if (s.program.empty())
            bad_line(stub, number, "'remote :' without a program");
        s.name = rest;
        return s;
    }
    size_t colon = rest.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == rest.size())
        bad_line(stub, number, "remote shard '" + rest + "' is not HOST:PORT");
    std::string port = rest.substr(colon + 1);
    if (port.size() > 5 ||
        !std::all_of(port.begin(), port.end(),
                     [](unsigned char c) { return std::isdigit(c); }) ||
        std::stoul(port) == 0 || std::stoul(port) > 65535)
        bad_line(stub, number, "remote shard '" + rest + "': bad port");
    s.host = rest.substr(0, colon);
    if (s.host.size() > 2 && s.host.front() == '[' && s.host.back() == ']')
        s.host = s.host.substr(1, s.host.size() - 2);
    s.port = static_cast<unsigned>(std::stoul(port));
    s.name = rest;
    return s;
}

// Opens one shard; throws what Xapian throws.
void open_shard(shard &s, unsigned timeout_ms)
{
    if (!s.path.empty())
        s.db = Xapian::Database(s.path);
    else if (!s.program.empty())
        s.db = Xapian::Remote::open(s.program, s.args, timeout_ms);
    else
        s.db = Xapian::Remote::open(s.host, s.port, timeout_ms, timeout_ms);
    s.up = true;
    s.failures = 0;
}

void take_down(shard &s)
{
    s.up = false;
    s.db = Xapian::Database();
    unsigned wait = RETRY_FIRST_MS << std::min(s.failures, 4u);
    s.failures++;
    s.retry_at = std::chrono::steady_clock::now() +
                 std::chrono::milliseconds(std::min(wait, RETRY_MAX_MS));
}

// Tries a remote shard; a local one's errors are the index's own.
void try_open(shard &s, unsigned timeout_ms)
{
    if (s.remote()) {
        try {
            open_shard(s, timeout_ms);
        } catch (const Xapian::NetworkError &) {
            take_down(s);
        }
    } else {
        open_shard(s, timeout_ms);
    }
}

// Forgets what was fetched at an older generation, or when there is too
// much of it (a bound on memory, not a policy).
void follow_generation(vb_xapian_reader *reader)
{
    constexpr size_t DOCUMENTS_MAX = 1024, TERMS_MAX = 65536;
    if (reader->cached_generation != reader->generation ||
        reader->documents.size() >= DOCUMENTS_MAX ||
        reader->term_freqs.size() >= TERMS_MAX) {
        reader->documents.clear();
        reader->term_freqs.clear();
        reader->cached_generation = reader->generation;
    }
}

} // namespace

Xapian::Document document(vb_xapian_reader *reader, Xapian::docid id)
{
    if (!reader->remote)
        return reader->db.get_document(id);
    follow_generation(reader);
    auto at = reader->documents.find(id);
    if (at != reader->documents.end())
        return at->second;
    return remember(reader, id, reader->db.get_document(id));
}

Xapian::Document remember(vb_xapian_reader *reader, Xapian::docid id,
                          const Xapian::Document &doc)
{
    if (reader->remote) {
        follow_generation(reader);
        reader->documents[id] = doc;
    }
    return doc;
}

bool has_document(const vb_xapian_reader *reader, Xapian::docid id)
{
    return reader->cached_generation == reader->generation &&
           reader->documents.count(id) != 0;
}

Xapian::doccount term_freq(vb_xapian_reader *reader, const std::string &term)
{
    if (!reader->remote)
        return reader->db.get_termfreq(term);
    follow_generation(reader);
    auto at = reader->term_freqs.find(term);
    if (at != reader->term_freqs.end())
        return at->second;
    Xapian::doccount freq = reader->db.get_termfreq(term);
    reader->term_freqs.emplace(term, freq);
    return freq;
}

bool is_stub_file(const std::string &dir)
{
    struct stat sb;
    return stat(dir.c_str(), &sb) == 0 && S_ISREG(sb.st_mode);
}

void combine(vb_xapian_reader *reader)
{
    // An empty database holds a down shard's place: document ids
    // interleave by shard, and stay the same while one is away.
    Xapian::Database all;
    for (const shard &s : reader->shards)
        all.add_database(s.up
                             ? s.db
                             : Xapian::WritableDatabase(
                                   std::string(), Xapian::DB_BACKEND_INMEMORY));
    reader->db = all;
}

void open_shards(vb_xapian_reader *reader)
{
    std::ifstream in(reader->dir);
    if (!in)
        throw Xapian::DatabaseOpeningError("cannot read stub file " +
                                           reader->dir);
    std::string line;
    unsigned number = 0;
    while (std::getline(in, line)) {
        number++;
        line = trim(line);
        if (line.empty() || line[0] == '#')
            continue;
        size_t space = line.find_first_of(" \t");
        std::string type = line.substr(0, space);
        std::string rest =
            space == std::string::npos ? "" : trim(line.substr(space));
        reader->shards.push_back(parse_line(reader->dir, number, type, rest));
    }
    if (reader->shards.empty())
        throw Xapian::DatabaseOpeningError("stub file " + reader->dir +
                                           " names no shard");
    for (shard &s : reader->shards) {
        reader->remote = reader->remote || s.remote();
        try_open(s, reader->shard_timeout_ms);
    }
    combine(reader);
}

bool reconnect_shards(vb_xapian_reader *reader)
{
    if (!reader->remote)
        return false;
    for (shard &s : reader->shards)
        if (s.remote() && s.up) {
            // Its connection may hold an answer nobody read: start anew.
            s.up = false;
            try_open(s, reader->shard_timeout_ms);
        }
    combine(reader);
    reader->generation++;
    return true;
}

bool refresh_shards(vb_xapian_reader *reader)
{
    auto now = std::chrono::steady_clock::now();
    bool changed = false;
    for (shard &s : reader->shards) {
        if (s.up) {
            try {
                changed = s.db.reopen() || changed;
            } catch (const Xapian::NetworkError &) {
                if (!s.remote())
                    throw;
                // The server closes a connection idle for a minute
                // (xapian-tcpsrv --idle-timeout): connect anew, and only
                // a shard that does not answer then is down.
                s.up = false;
                try_open(s, reader->shard_timeout_ms);
                changed = true;
            }
        } else if (now >= s.retry_at) {
            try_open(s, reader->shard_timeout_ms);
            changed = changed || s.up;
        }
    }
    if (changed) {
        combine(reader);
        reader->generation++;
    }
    return changed;
}

} // namespace vbx

extern "C" size_t vb_xapian_reader_shards_down(const vb_xapian_reader *reader,
                                               const char **names, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; reader && i < reader->shards.size(); i++)
        if (!reader->shards[i].up) {
            if (names && n < cap)
                names[n] = reader->shards[i].name.c_str();
            n++;
        }
    return n;
}
