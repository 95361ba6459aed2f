//! The pickle viewer against real cacheops/Django pickles (tests/fixtures/pickles, made by
//! tests/fixtures/make_pickles.py) and against hostile input.

use std::path::PathBuf;

use cacheops::pickle::{
    decode, decode_with, describe, render, split_insideout, ErrorKind, Limits, RenderOptions, Value,
};
use proptest::prelude::*;

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pickles")
}

fn fixture(name: &str) -> Vec<u8> {
    let path = fixture_dir().join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn fixture_names(ext: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixture_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(ext))
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no {ext} fixtures");
    names
}

fn wide() -> RenderOptions<'static> {
    RenderOptions {
        max_len: 1_000_000,
        max_items: 10_000,
        max_str_len: 100_000,
        ..Default::default()
    }
}

fn show(name: &str) -> String {
    let raw = fixture(name);
    let (_, data) = split_insideout(&raw);
    let value = decode(data).unwrap_or_else(|e| panic!("{name}: {e}"));
    render(&value, &wide())
}

const ARTICLE_34: &str = "articles.Article(pk=34, title='Hello', category_id=3, is_published=True, \
     published_on=date(2024-05-01), score=0.1, price=Decimal('27.00'), body='long text', \
     created=datetime(2024-05-01 10:00:00+00:00))";
const ARTICLE_35: &str = "articles.Article(pk=35, title='It\\'s \"quoted\" é ☃', category_id=3, \
     is_published=False, published_on=None, score=-1.5e+20, price=Decimal('1234567.89'), body='', \
     created=datetime(2024-05-02 11:30:00.123456+00:00))";

// ---------------------------------------------------------------------- fixtures

#[test]
fn every_fixture_decodes() {
    for name in fixture_names(".pickle") {
        let raw = fixture(&name);
        let (_, data) = split_insideout(&raw);
        assert!(decode(data).is_ok(), "{name}");
        let text = describe(&raw, &RenderOptions::default());
        assert!(!text.starts_with("<not a pickle"), "{name}: {text}");
    }
}

#[test]
fn model_instances() {
    assert_eq!(show("article_single.pickle"), ARTICLE_34);
    assert_eq!(show("articles.pickle"), format!("[{ARTICLE_34}, {ARTICLE_35}]"));
    assert_eq!(
        show("article_proto5.pickle"),
        format!("[{ARTICLE_34}, {ARTICLE_35}]")
    );
    assert_eq!(
        show("uuid_item.pickle"),
        "[articles.UuidItem(pk=UUID('6f1c2a9e-3b4d-4c5e-8f60-718293a4b5c6'), name='first', rank=1)]"
    );
    assert_eq!(
        show("bigthing.pickle"),
        "[articles.BigThing(pk=123456789012345678, name='big one', weight=4611686018427387904)]"
    );
    // select_related() puts the Category in _state.fields_cache: private, left out.
    assert_eq!(
        show("products_select_related.pickle"),
        "[shop.Product(pk=1, name='Pen', price=Decimal('2.50'), in_stock=True, category_id=3), \
         shop.Product(pk=2, name='Cup', price=Decimal('3.50'), in_stock=False, category_id=None)]"
    );
}

#[test]
fn query_results_of_other_shapes() {
    assert_eq!(
        show("values.pickle"),
        "[{'id': 34, 'title': 'Hello', 'price': Decimal('27.00'), 'created': datetime(2024-05-01 10:00:00+00:00)}, \
         {'id': 35, 'title': 'It\\'s \"quoted\" é ☃', 'price': Decimal('1234567.89'), \
         'created': datetime(2024-05-02 11:30:00.123456+00:00)}]"
    );
    assert_eq!(
        show("values_list.pickle"),
        "[(34, date(2024-05-01), 0.1), (35, None, -1.5e+20)]"
    );
    assert_eq!(
        show("values_list_flat.pickle"),
        "['Hello', 'It\\'s \"quoted\" é ☃']"
    );
    assert_eq!(show("count_query.pickle"), "2");
    assert_eq!(show("aggregate.pickle"), "{'price__sum': Decimal('6')}");
    assert_eq!(show("ordereddict.pickle"), "OrderedDict({'z': 1, 'a': [2, 3]})");
    assert_eq!(
        show("collections.pickle"),
        "[Counter({'a': 2}), Counter(), defaultdict(list, {'k': [1]}), deque([1, 2], maxlen=5), deque([3]), \
         deque([]), SafeString('<b>x</b>')]"
    );
    assert_eq!(show("shared.pickle"), "[[1, 2], [1, 2], {'again': [1, 2]}]");
}

#[test]
fn datetimes_and_timezones() {
    assert_eq!(
        show("datetimes.pickle"),
        "[datetime(2024-05-01 10:00:00+00:00), datetime(2024-05-02 11:30:00.123456), \
         datetime(2024-05-01 10:00:00+05:30), datetime(2024-01-01 00:00:00-08:00), \
         datetime(2024-05-01 10:00:00 Europe/Paris), datetime(2024-11-03 01:30:00, fold=1), \
         date(1999-12-31), time(23:59:59.000005), time(08:00:00+00:00), \
         timedelta(days=1, seconds=3600), timedelta(0), timedelta(days=-1, seconds=86399, microseconds=999999), \
         timezone.utc, timezone(-03:00, 'BRT'), ZoneInfo('America/New_York')]"
    );
}

/// Plain data renders exactly as Python's repr() (the .repr files are written by Python).
#[test]
fn plain_data_matches_python_repr() {
    for name in fixture_names(".repr") {
        let expected = String::from_utf8(fixture(&name)).unwrap();
        let pickle = name.replace(".repr", ".pickle");
        assert_eq!(show(&pickle), expected, "{pickle}");
    }
}

#[test]
fn protocols_0_to_5_render_the_same() {
    let expected = format!(
        "{{'article': {ARTICLE_34}, 'decimal': Decimal('-0.010'), \
         'uuid': UUID('6f1c2a9e-3b4d-4c5e-8f60-718293a4b5c6'), 'when': datetime(2024-05-01 10:00:00+00:00), \
         'day': date(2024-05-01), 'bytes': b'\\x00ab\\xff', 'bytearray': bytearray(b'xyz'), 'set': {{1, 2, 3}}, \
         'frozenset': frozenset({{4}}), 'big': 1267650600228229401496703205376, \
         'tuple': (1, 'two', 3.0, None, True), 'od': OrderedDict({{'b': 1, 'a': 2}}), 'text': 'café ☃ \\\\ \\n'}}"
    );
    for proto in 0..=5 {
        assert_eq!(
            show(&format!("proto{proto}.pickle")),
            expected,
            "protocol {proto}"
        );
    }
}

#[test]
fn insideout_values() {
    let raw = fixture("insideout.pickle");
    let (checksum, data) = split_insideout(&raw);
    assert_eq!(checksum.map(str::len), Some(40));
    assert_eq!(data.first(), Some(&0x80));
    assert_eq!(describe(&raw, &wide()), format!("[{ARTICLE_34}]"));
    // A classic-layout value has no prefix.
    let classic = fixture("articles.pickle");
    assert_eq!(split_insideout(&classic), (None, &classic[..]));
}

#[test]
fn pretty_mode() {
    let raw = fixture("articles.pickle");
    let text = describe(&raw, &RenderOptions::detail());
    let expected = "[
    articles.Article(
        pk=34,
        title='Hello',
        category_id=3,
        is_published=True,
        published_on=date(2024-05-01),
        score=0.1,
        price=Decimal('27.00'),
        body='long text',
        created=datetime(2024-05-01 10:00:00+00:00),
    ),
    articles.Article(
        pk=35,
        title='It\\'s \"quoted\" é ☃',
        category_id=3,
        is_published=False,
        published_on=None,
        score=-1.5e+20,
        price=Decimal('1234567.89'),
        body='',
        created=datetime(2024-05-02 11:30:00.123456+00:00),
    ),
]";
    assert_eq!(text, expected);
    // Short containers stay on one line.
    let products = describe(
        &fixture("products_select_related.pickle"),
        &RenderOptions::detail(),
    );
    assert_eq!(
        products,
        "[
    shop.Product(pk=1, name='Pen', price=Decimal('2.50'), in_stock=True, category_id=3),
    shop.Product(pk=2, name='Cup', price=Decimal('3.50'), in_stock=False, category_id=None),
]"
    );
}

#[test]
fn pk_field_option() {
    let value = decode(&fixture("article_single.pickle")).unwrap();
    let by_title =
        |app: &str, model: &str| (app == "articles" && model == "Article").then(|| "title".to_string());
    let text = render(
        &value,
        &RenderOptions {
            pk_field: &by_title,
            ..wide()
        },
    );
    assert!(
        text.starts_with("articles.Article(pk='Hello', id=34, category_id=3,"),
        "{text}"
    );
    // An attname that is not there: fields as they are.
    let missing = |_: &str, _: &str| Some("code".to_string());
    let text = render(
        &value,
        &RenderOptions {
            pk_field: &missing,
            ..wide()
        },
    );
    assert!(
        text.starts_with("articles.Article(id=34, title='Hello',"),
        "{text}"
    );
}

#[test]
fn output_limits() {
    let value = decode(&fixture("bigints.pickle")).unwrap();
    let text = render(
        &value,
        &RenderOptions {
            max_items: 2,
            ..Default::default()
        },
    );
    assert_eq!(
        text,
        "[1267650600228229401496703205376, -1267650600228229401496703205376, ... 13 more]"
    );
    let text = render(
        &value,
        &RenderOptions {
            max_len: 20,
            ..Default::default()
        },
    );
    assert_eq!(text, "[1267650600228229401… (250 more chars)");
    let value = decode(&fixture("articles.pickle")).unwrap();
    let text = render(
        &value,
        &RenderOptions {
            max_str_len: 2,
            ..Default::default()
        },
    );
    assert!(text.contains("title='He'…(+3 chars)"), "{text}");
    let text = render(
        &value,
        &RenderOptions {
            max_items: 0,
            ..Default::default()
        },
    );
    assert_eq!(text, "[... 2 more]");
}

// ---------------------------------------------------------------------- hostile input

fn kind(data: &[u8]) -> ErrorKind {
    match decode(data) {
        Ok(v) => panic!("decoded to {v:?}"),
        Err(e) => e.kind,
    }
}

fn long_binget(i: usize) -> [u8; 5] {
    let [a, b, c, d] = (i as u32).to_le_bytes();
    [b'j', a, b, c, d]
}

#[test]
fn every_prefix_of_every_fixture_fails_cleanly() {
    for name in fixture_names(".pickle") {
        let raw = fixture(&name);
        let (_, data) = split_insideout(&raw);
        for n in 0..data.len() {
            let prefix = &data[..n];
            assert!(decode(prefix).is_err(), "{name}[..{n}] decoded");
            let text = describe(prefix, &RenderOptions::default());
            assert!(
                text.starts_with(&format!("<not a pickle ({n} bytes): ")),
                "{text}"
            );
        }
    }
}

#[test]
fn billion_laughs_is_shared_and_rendering_is_bounded() {
    // 40 levels of lists of 10 references to the level below: 10^40 leaves.
    let mut p = vec![0x80, 4, b']', b'('];
    for _ in 0..10 {
        p.extend([b'K', 7]);
    }
    p.extend([b'e', 0x94]);
    for level in 1..40 {
        p.extend([b']', b'(']);
        for _ in 0..10 {
            p.extend(long_binget(level - 1));
        }
        p.extend([b'e', 0x94]);
    }
    p.push(b'.');
    let value = decode(&p).unwrap();
    let text = render(&value, &RenderOptions::default());
    assert!(text.starts_with("[[[[[[["), "{text}");
    assert!(text.ends_with("more chars)"), "{text}");
    assert!(text.chars().count() < 2100);
    let text = render(&value, &RenderOptions::detail());
    assert!(text.contains("more chars)"));
    let text = format!("{value:?}");
    assert!(text.len() < 10_000);
}

#[test]
fn memo_reference_floods_hit_the_value_limit() {
    let mut p = vec![0x80, 4, b']', 0x94, b'('];
    for _ in 0..1_100_000 {
        p.extend([b'h', 0]);
    }
    p.extend([b'e', b'.']);
    assert_eq!(kind(&p), ErrorKind::TooManyValues(1_000_000));
    let small = Limits {
        max_values: 10,
        ..Limits::default()
    };
    assert!(decode_with(b"(NNNNNNNNNNNNNNNNNNNNl.", &small).is_err());
    // Marks count too.
    let marks = vec![b'('; 2_000_000];
    assert_eq!(kind(&marks), ErrorKind::TooManyValues(1_000_000));
}

#[test]
fn byte_limit() {
    // 200 copies of a 1 MB string made by _codecs.encode (protocol 2 bytes) through the memo.
    let mut p = b"\x80\x02c_codecs\nencode\nq\x00".to_vec();
    p.push(b'X');
    p.extend(1_000_000u32.to_le_bytes());
    p.extend(std::iter::repeat_n(b'a', 1_000_000));
    p.extend(b"q\x01X\x06\x00\x00\x00latin1q\x02(");
    for _ in 0..200 {
        p.extend(b"h\x00h\x01h\x02\x86R");
    }
    p.extend(b"l.");
    assert_eq!(kind(&p), ErrorKind::TooManyBytes(64 << 20));
}

#[test]
fn huge_length_claims_do_not_allocate() {
    let cases: Vec<Vec<u8>> = vec![
        [&[0x80, 4, 0x8d][..], &u64::MAX.to_le_bytes()].concat(),
        [&[0x80, 4, 0x8e][..], &(1u64 << 40).to_le_bytes()].concat(),
        [&[0x80, 5, 0x96][..], &(u64::MAX / 2).to_le_bytes()].concat(),
        [&[b'B'][..], &u32::MAX.to_le_bytes()].concat(),
        [&[b'X'][..], &u32::MAX.to_le_bytes()].concat(),
        [&[0x8b][..], &i32::MAX.to_le_bytes()].concat(),
        [&[b'T'][..], &i32::MAX.to_le_bytes()].concat(),
    ];
    for case in cases {
        assert_eq!(kind(&case), ErrorKind::Truncated, "{case:?}");
    }
    assert!(matches!(
        kind(&[&[b'T'][..], &(-5i32).to_le_bytes()].concat()),
        ErrorKind::Malformed(_)
    ));
    // A frame claiming more than there is is only a buffering hint.
    let framed = [&[0x80, 4, 0x95][..], &u64::MAX.to_le_bytes(), b"N."].concat();
    assert_eq!(describe(&framed, &RenderOptions::default()), "None");
}

#[test]
fn deep_nesting_is_an_error() {
    // Nesting built on the stack: 100 000 lists each appended into the one below.
    let mut p = vec![b']'; 100_000];
    p.extend(vec![b'a'; 99_999]);
    p.push(b'.');
    assert_eq!(kind(&p), ErrorKind::TooDeep(200));
    // Nesting built through the memo with a constant stack.
    let mut p = vec![b']', 0x94];
    for i in 1..100_000 {
        p.push(b']');
        p.extend(long_binget(i - 1));
        p.extend([b'a', 0x94, b'0']);
    }
    p.extend(long_binget(99_999));
    p.push(b'.');
    assert_eq!(kind(&p), ErrorKind::TooDeep(200));
    // Marks alone nest nothing.
    let mut p = vec![b'('; 100_000];
    p.extend(b"N.");
    assert_eq!(describe(&p, &RenderOptions::default()), "None");
}

fn nested_lists(depth: usize) -> Vec<u8> {
    let mut p = vec![b']'; depth];
    p.extend(vec![b'a'; depth - 1]);
    p.push(b'.');
    p
}

#[test]
fn nesting_up_to_the_limit_renders() {
    let value = decode(&nested_lists(200)).unwrap();
    let text = render(&value, &RenderOptions::default());
    assert_eq!(text, format!("{}{}", "[".repeat(200), "]".repeat(200)));
    assert_eq!(kind(&nested_lists(201)), ErrorKind::TooDeep(200));
    // The hard cap (1000 levels) decodes, renders (cut at 250 levels) and drops within 1 MiB
    // of stack in a debug build.
    let limits = Limits {
        max_depth: 1_000_000,
        ..Limits::default()
    };
    let small_stack = std::thread::Builder::new().stack_size(1 << 20);
    small_stack
        .spawn(move || {
            let value = decode_with(&nested_lists(1000), &limits).unwrap();
            let text = render(
                &value,
                &RenderOptions {
                    max_len: 10_000,
                    ..Default::default()
                },
            );
            assert_eq!(text, format!("{}…{}", "[".repeat(251), "]".repeat(251)));
            assert!(render(&value, &RenderOptions::detail()).starts_with("[\n    [\n"));
            drop(value);
            let err = decode_with(&nested_lists(1001), &limits).unwrap_err();
            assert_eq!(err.kind, ErrorKind::TooDeep(1000));
        })
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn cycles_render_as_ellipses() {
    assert_eq!(show("recursive.pickle"), "[1, [...]]");
    // An object whose state refers back to it.
    let p = b"\x80\x04\x8c\x08__main__\x8c\x05Thing\x93)\x81\x94}(\x8c\x04selfh\x00ub.";
    assert_eq!(
        describe(p, &RenderOptions::default()),
        "<__main__.Thing object: state={'self': <...>}>"
    );
    // A set whose items list contains the set (through ADDITEMS).
    assert_eq!(
        describe(b"\x80\x04\x8f\x94(h\x00\x90.", &RenderOptions::default()),
        "{{...}}"
    );
}

#[test]
fn unknown_objects_are_placeholders() {
    // myapp.Thing(1, 'a') with state, built by REDUCE + BUILD.
    let p = b"\x80\x04\x8c\x05myapp\x8c\x05Thing\x93K\x01\x8c\x01a\x86R}\x8c\x01xK\x02sb.";
    assert_eq!(
        describe(p, &RenderOptions::default()),
        "<myapp.Thing object: args=(1, 'a'), state={'x': 2}>"
    );
    // Protocol 0 INST, persistent ids, extension codes, out-of-band buffers.
    assert_eq!(
        describe(b"(imyapp\nOld\n.", &RenderOptions::default()),
        "<myapp.Old object>"
    );
    assert_eq!(
        describe(b"Pkey-1\n.", &RenderOptions::default()),
        "<persistent id 'key-1'>"
    );
    assert_eq!(
        describe(b"\x80\x02\x82\x05.", &RenderOptions::default()),
        "<extension code 5>"
    );
    assert_eq!(
        describe(b"\x80\x05\x97\x98.", &RenderOptions::default()),
        "<out-of-band buffer #0>"
    );
    assert_eq!(
        describe(b"\x80\x04\x8c\x01m\x8c\x01f\x93.", &RenderOptions::default()),
        "<global m.f>"
    );
    // pytz (Django < 4): a pickled pytz tz is pytz._p(zone, utcoffset, dst, tzname).
    let p = b"\x80\x02cdatetime\ndatetime\nC\n\x07\xe8\x05\x01\n\x00\x00\x00\x00\x00cpytz\n_p\n\
              (X\x0c\x00\x00\x00Europe/ParisM\x20\x1cM\x10\x0eX\x04\x00\x00\x00CESTtR\x86R.";
    assert_eq!(
        describe(p, &RenderOptions::default()),
        "datetime(2024-05-01 10:00:00+02:00 Europe/Paris)"
    );
}

#[test]
fn garbage_is_described() {
    assert_eq!(
        describe(b"", &RenderOptions::default()),
        "<not a pickle (0 bytes): empty input at byte 0>"
    );
    assert_eq!(
        describe(b"{\"json\": 1}", &RenderOptions::default()),
        "<not a pickle (11 bytes): unknown opcode 0x7b at byte 0> b'{\"json\": 1}'"
    );
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for len in 0..3000 {
        let buf: Vec<u8> = (0..len % 300)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect();
        let _ = describe(&buf, &RenderOptions::default());
    }
}

/// Big values referenced many times through the memo: rendering must not redo big work per
/// reference.
#[test]
fn shared_big_values_render_quickly() {
    let big = 8 << 20;
    let refs = 300_000;
    let bomb = |head: &[u8]| {
        let mut p = vec![0x80, 4];
        p.extend_from_slice(head);
        p.extend([0x94, b'(']);
        for _ in 0..refs {
            p.extend([b'h', 0]);
        }
        p.extend(b"l.");
        let value = decode(&p).unwrap();
        for opts in [RenderOptions::default(), RenderOptions::detail()] {
            let text = render(&value, &opts);
            assert!(text.chars().count() < opts.max_len + 200, "{}", text.len());
        }
    };
    // A long str.
    let mut head = vec![0x8d];
    head.extend((big as u64).to_le_bytes());
    head.extend(std::iter::repeat_n(b'x', big));
    bomb(&head);
    // A datetime whose state is a long str.
    let mut head = b"\x8c\x08datetime\x8c\x08datetime\x93\x8d".to_vec();
    head.extend((big as u64).to_le_bytes());
    head.extend(std::iter::repeat_n(b'x', big));
    head.extend([0x85, b'R']);
    bomb(&head);
    // A uuid.UUID and a model instance with a state dict of 100 000 items.
    for class in [
        &b"\x8c\x04uuid\x8c\x04UUID\x93)\x81"[..],
        b"\x8c\x15django.db.models.base\x8c\x0emodel_unpickle\x93\x8c\x01a\x8c\x01M\x86\x85R",
    ] {
        let mut head = class.to_vec();
        head.extend([b'}', b'(']);
        for i in 0..100_000u32 {
            head.push(b'X');
            head.extend(7u32.to_le_bytes());
            head.extend(format!("_{:06}", i).as_bytes());
            head.push(b'N');
        }
        head.extend([b'u', b'b']);
        bomb(&head);
    }
}

#[test]
fn large_realistic_value_is_fast() {
    // 100 000 (int, str, float) rows, protocol 4 style.
    let mut p = vec![0x80, 4, b']', 0x94, b'('];
    for i in 0..100_000u32 {
        p.push(b'J');
        p.extend(i.to_le_bytes());
        p.extend([0x8c, 3]);
        p.extend(b"row");
        p.push(b'G');
        p.extend(f64::from(i).to_be_bytes());
        p.push(0x87);
    }
    p.extend([b'e', b'.']);
    let value = decode(&p).unwrap();
    assert_eq!(value.as_seq().map(<[Value]>::len), Some(100_000));
    let text = render(&value, &RenderOptions::default());
    assert!(text.starts_with("[(0, 'row', 0.0), (1, 'row', 1.0),"), "{text}");
    assert!(text.ends_with(", ... 99900 more]"), "{text}");
    let all = RenderOptions {
        max_items: usize::MAX,
        max_len: usize::MAX,
        ..RenderOptions::detail()
    };
    let text = render(&value, &all);
    assert!(
        text.ends_with("(99999, 'row', 99999.0),\n]"),
        "{}",
        &text[text.len() - 100..]
    );
}

// ---------------------------------------------------------------------- properties

fn mutate(data: &[u8], edits: &[(usize, u8, u8)]) -> Vec<u8> {
    let mut out = data.to_vec();
    for &(pos, byte, how) in edits {
        if out.is_empty() {
            out.push(byte);
            continue;
        }
        let at = pos % (out.len() + 1);
        match how % 4 {
            0 => {
                if let Some(b) = out.get_mut(at) {
                    *b = byte;
                }
            }
            1 => out.insert(at, byte),
            2 => {
                if at < out.len() {
                    out.remove(at);
                }
            }
            _ => out.truncate(at),
        }
    }
    out
}

/// Snippets of valid opcodes, so that random sequences reach deep into the machine.
const SNIPPETS: &[&[u8]] = &[
    b"]",
    b")",
    b"}",
    b"(",
    b"a",
    b"e",
    b"s",
    b"u",
    b"t",
    b"l",
    b"d",
    b"0",
    b"1",
    b"2",
    b"b",
    b"R",
    b"N",
    b"K\x01",
    b"J\xff\xff\xff\xff",
    b"\x8a\x09\x00\x00\x00\x00\x00\x00\x00\x00\x80",
    b"G\x7f\xf8\0\0\0\0\0\0",
    b"\x94",
    b"h\x00",
    b"h\x01",
    b"h\x02",
    b"q\x01",
    b"\x81",
    b"\x92",
    b"\x93",
    b"\x85",
    b"\x86",
    b"\x87",
    b"\x88",
    b"\x8f",
    b"\x90",
    b"\x91",
    b"\x8c\x01a",
    b"\x8c\x08datetime",
    b"\x8c\x04date",
    b"C\x04\x07\xe8\x05\x01",
    b"cbuiltins\nset\n",
    b"c_codecs\nencode\n",
    b"ccopyreg\n_reconstructor\n",
    b"cbuiltins\ngetattr\n",
    b"cdjango.db.models.base\nmodel_unpickle\n",
    b"\x8c\x06latin1",
    b"\x8c\x02id",
    b"\x8c\x06_state",
    b"cuuid\nUUID\n",
    b"\x8c\x03int",
    b"\x97",
    b"\x98",
    b"\x95\x01\0\0\0\0\0\0\0",
    b"Q",
    b"P1\n",
    b"I01\n",
];

fn snippet_soup(picks: &[usize]) -> Vec<u8> {
    let mut p = vec![0x80, 4];
    for &i in picks {
        p.extend_from_slice(SNIPPETS[i % SNIPPETS.len()]);
    }
    p.push(b'.');
    p
}

fn exercise(data: &[u8]) {
    if let Ok(v) = decode(data) {
        let _ = render(&v, &RenderOptions::default());
        let _ = render(&v, &RenderOptions::detail());
    }
    let _ = describe(data, &RenderOptions::default());
}

/// 2000 cases each by default; `PROPTEST_CASES=100000` for a longer run.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..512)) {
        exercise(&data);
    }

    #[test]
    fn mutated_fixtures_never_panic(
        which in 0usize..64,
        edits in proptest::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..8),
    ) {
        let names = fixture_names(".pickle");
        let raw = fixture(&names[which % names.len()]);
        exercise(&mutate(&raw, &edits));
    }

    #[test]
    fn opcode_soup_never_panics(picks in proptest::collection::vec(any::<usize>(), 0..200)) {
        exercise(&snippet_soup(&picks));
    }
}
