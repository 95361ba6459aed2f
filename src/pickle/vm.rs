//! The opcode interpreter: replays a pickle into an arena of mutable nodes, then freezes the
//! arena into shared immutable [`Value`]s.
//!
//! Pickles build containers first and fill them later (`EMPTY_LIST`, `MEMOIZE`, ... `APPENDS`),
//! and memo references may point at a container that is still being filled (that is how cycles
//! are written). So the machine works on an arena of nodes addressed by index, where sharing and
//! cycles cost nothing, and only turns it into a tree once `STOP` is reached: each node is
//! converted once (shared by `Arc` wherever it is referenced) and a reference to a node that is
//! still being converted becomes [`Value::Recursive`].

use std::collections::HashMap;
use std::sync::Arc;

use super::error::{ErrorKind, PickleError};
use super::value::{Construct, Global, Object, Value};

/// Budgets that bound the work and memory of one decode, whatever the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Deepest nesting of containers and objects; also bounds the recursion of rendering.
    /// Values above 1000 are treated as 1000 so that the stack cannot overflow.
    pub max_depth: usize,
    /// Values pushed, memoized, stored in containers or copied; bounds time and memory of the
    /// whole decode, including repeated memo references.
    pub max_values: usize,
    /// Bytes of `str`/`bytes`/int content taken from the input or made by conversions.
    pub max_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 200,
            max_values: 1_000_000,
            max_bytes: 64 << 20,
        }
    }
}

const HARD_MAX_DEPTH: usize = 1000;
/// Ints longer than this are shown in hex: decimal conversion is quadratic.
const MAX_DECIMAL_INT_BYTES: usize = 1024;
const HIGHEST_PROTOCOL: u8 = 5;

/// Decodes a pickle with the default [`Limits`]; never executes anything or panics.
pub fn decode(data: &[u8]) -> Result<Value, PickleError> {
    decode_with(data, &Limits::default())
}

/// Decodes a pickle with explicit budgets, for callers that show unusually large values.
pub fn decode_with(data: &[u8], limits: &Limits) -> Result<Value, PickleError> {
    let mut vm = Vm {
        data,
        pos: 0,
        op_start: 0,
        limits: *limits,
        stack: Vec::new(),
        marks: Vec::new(),
        memo: HashMap::new(),
        nodes: Vec::new(),
        values: 0,
        bytes: 0,
        buffers: 0,
    };
    let root = vm.run()?;
    let max_depth = limits.max_depth.min(HARD_MAX_DEPTH);
    let mut freezer = Freezer {
        nodes: &vm.nodes,
        cache: vec![None; vm.nodes.len()],
        active: vec![false; vm.nodes.len()],
        max_depth,
    };
    freezer.run(&root).map_err(|kind| PickleError {
        offset: vm.op_start,
        kind,
    })
}

/// A stack or memo entry: a finished immutable value, or a node of the arena.
#[derive(Clone)]
enum Item {
    V(Value),
    N(usize),
}

enum Node {
    List(Vec<Item>),
    Tuple(Vec<Item>),
    Dict(Vec<(Item, Item)>),
    Set(Vec<Item>),
    FrozenSet(Vec<Item>),
    Object(ObjNode),
    PersId(Item),
}

struct ObjNode {
    callable: Item,
    how: Construct,
    args: Vec<Item>,
    kwargs: Option<Item>,
    state: Option<Item>,
    list_items: Vec<Item>,
    dict_items: Vec<(Item, Item)>,
}

impl ObjNode {
    fn new(callable: Item, how: Construct, args: Vec<Item>) -> Self {
        ObjNode {
            callable,
            how,
            args,
            kwargs: None,
            state: None,
            list_items: Vec::new(),
            dict_items: Vec::new(),
        }
    }
}

struct Vm<'a> {
    data: &'a [u8],
    pos: usize,
    op_start: usize,
    limits: Limits,
    stack: Vec<Item>,
    /// Stack lengths at each open `MARK`; items below the last one are out of reach, as in
    /// CPython's unpickler.
    marks: Vec<usize>,
    memo: HashMap<u64, Item>,
    nodes: Vec<Node>,
    values: usize,
    bytes: usize,
    buffers: u64,
}

type Res<T> = Result<T, PickleError>;

impl<'a> Vm<'a> {
    fn err(&self, kind: ErrorKind) -> PickleError {
        PickleError {
            offset: self.op_start,
            kind,
        }
    }

    fn malformed(&self, what: &'static str) -> PickleError {
        self.err(ErrorKind::Malformed(what))
    }

    // ------------------------------------------------------------------ budgets

    fn charge(&mut self, n: usize) -> Res<()> {
        self.values = self.values.saturating_add(n);
        if self.values > self.limits.max_values {
            return Err(self.err(ErrorKind::TooManyValues(self.limits.max_values)));
        }
        Ok(())
    }

    fn charge_bytes(&mut self, n: usize) -> Res<()> {
        self.bytes = self.bytes.saturating_add(n);
        if self.bytes > self.limits.max_bytes {
            return Err(self.err(ErrorKind::TooManyBytes(self.limits.max_bytes)));
        }
        Ok(())
    }

    // ------------------------------------------------------------------ input

    fn take(&mut self, n: usize) -> Res<&'a [u8]> {
        let data = self.data;
        let slice = self
            .pos
            .checked_add(n)
            .and_then(|end| data.get(self.pos..end))
            .ok_or_else(|| self.err(ErrorKind::Truncated))?;
        self.pos += n;
        Ok(slice)
    }

    fn take_u64(&mut self, n: u64) -> Res<&'a [u8]> {
        let n = usize::try_from(n).map_err(|_| self.err(ErrorKind::Truncated))?;
        self.take(n)
    }

    fn array<const N: usize>(&mut self) -> Res<[u8; N]> {
        let bytes = self.take(N)?;
        let mut out = [0u8; N];
        out.copy_from_slice(bytes);
        Ok(out)
    }

    fn u8(&mut self) -> Res<u8> {
        Ok(self.array::<1>()?[0])
    }

    fn u16(&mut self) -> Res<u16> {
        Ok(u16::from_le_bytes(self.array()?))
    }

    fn u32(&mut self) -> Res<u32> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    fn i32(&mut self) -> Res<i32> {
        Ok(i32::from_le_bytes(self.array()?))
    }

    fn u64(&mut self) -> Res<u64> {
        Ok(u64::from_le_bytes(self.array()?))
    }

    /// A length-prefixed argument with a signed 4-byte length (BINSTRING, LONG4).
    fn i32_len(&mut self) -> Res<usize> {
        let n = self.i32()?;
        usize::try_from(n).map_err(|_| self.malformed("negative length"))
    }

    /// A text argument of the protocol 0 opcodes, without its newline.
    fn line(&mut self) -> Res<&'a [u8]> {
        let rest = self.data.get(self.pos..).unwrap_or_default();
        let n = rest
            .iter()
            .position(|&b| b == b'\n')
            .ok_or_else(|| self.err(ErrorKind::Truncated))?;
        let line = rest.get(..n).unwrap_or_default();
        self.pos += n + 1;
        Ok(line)
    }

    fn line_str(&mut self) -> Res<&'a str> {
        let line = self.line()?;
        std::str::from_utf8(line).map_err(|_| self.malformed("text argument is not UTF-8"))
    }

    // ------------------------------------------------------------------ stack

    fn fence(&self) -> usize {
        self.marks.last().copied().unwrap_or(0)
    }

    fn push(&mut self, item: Item) -> Res<()> {
        self.charge(1)?;
        self.stack.push(item);
        Ok(())
    }

    fn push_value(&mut self, value: Value) -> Res<()> {
        self.push(Item::V(value))
    }

    fn new_node(&mut self, node: Node) -> Res<Item> {
        self.charge(1)?;
        let id = self.nodes.len();
        self.nodes.push(node);
        Ok(Item::N(id))
    }

    fn push_node(&mut self, node: Node) -> Res<()> {
        let item = self.new_node(node)?;
        self.push(item)
    }

    fn pop(&mut self, op: &'static str) -> Res<Item> {
        if self.stack.len() <= self.fence() {
            return Err(self.err(ErrorKind::StackUnderflow(op)));
        }
        self.stack
            .pop()
            .ok_or_else(|| self.err(ErrorKind::StackUnderflow(op)))
    }

    fn top(&self, op: &'static str) -> Res<&Item> {
        if self.stack.len() <= self.fence() {
            return Err(self.err(ErrorKind::StackUnderflow(op)));
        }
        self.stack
            .last()
            .ok_or_else(|| self.err(ErrorKind::StackUnderflow(op)))
    }

    fn pop_mark(&mut self, op: &'static str) -> Res<Vec<Item>> {
        let mark = self.marks.pop().ok_or_else(|| self.err(ErrorKind::NoMark(op)))?;
        if mark > self.stack.len() {
            return Err(self.malformed("MARK above the stack"));
        }
        Ok(self.stack.split_off(mark))
    }

    /// The arena index of the container on top of the stack, for opcodes that fill it.
    fn top_node(&self, op: &'static str) -> Res<usize> {
        match self.top(op)? {
            Item::N(id) => Ok(*id),
            Item::V(_) => Err(self.malformed("opcode applied to a value that is not a container")),
        }
    }

    fn node_mut(&mut self, id: usize) -> Res<&mut Node> {
        let err = self.malformed("dangling node");
        self.nodes.get_mut(id).ok_or(err)
    }

    /// Copies the items of a tuple (arguments of REDUCE, NEWOBJ).
    fn tuple_items(&mut self, item: &Item, what: &'static str) -> Res<Vec<Item>> {
        let items = match item {
            Item::N(id) => match self.nodes.get(*id) {
                Some(Node::Tuple(items)) => Some(items.clone()),
                _ => None,
            },
            Item::V(_) => None,
        };
        let items = items.ok_or_else(|| self.malformed(what))?;
        self.charge(items.len())?;
        Ok(items)
    }

    // ------------------------------------------------------------------ memo

    fn memo_put(&mut self, key: u64, op: &'static str) -> Res<()> {
        let item = self.top(op)?.clone();
        self.charge(1)?;
        self.memo.insert(key, item);
        Ok(())
    }

    fn memo_get(&mut self, key: u64) -> Res<()> {
        let item = self
            .memo
            .get(&key)
            .cloned()
            .ok_or_else(|| self.err(ErrorKind::MissingMemo(key)))?;
        self.push(item)
    }

    fn text_key(&mut self) -> Res<u64> {
        let line = self.line_str()?;
        line.trim()
            .parse::<u64>()
            .map_err(|_| self.malformed("bad memo key"))
    }

    // ------------------------------------------------------------------ scalars

    fn str_value(&mut self, bytes: &[u8]) -> Res<Value> {
        self.charge_bytes(bytes.len())?;
        Ok(Value::Str(utf8_surrogatepass(bytes).into()))
    }

    fn bytes_value(&mut self, bytes: &[u8]) -> Res<Value> {
        self.charge_bytes(bytes.len())?;
        Ok(Value::Bytes(bytes.into()))
    }

    /// A Python 2 `str` (`STRING` opcodes): Python 3 loads it as `str` when it is ASCII (and
    /// fails otherwise, unless told an encoding); a viewer keeps the other ones as bytes.
    fn py2_str_value(&mut self, bytes: &[u8]) -> Res<Value> {
        if bytes.is_ascii() {
            self.str_value(bytes)
        } else {
            self.bytes_value(bytes)
        }
    }

    fn long_value(&mut self, bytes: &[u8]) -> Res<Value> {
        // Decimal conversion is quadratic in the length: charge for it.
        let n = bytes.len();
        let cost = if n > 8 && n <= MAX_DECIMAL_INT_BYTES {
            n.saturating_mul(n) / 8
        } else {
            0
        };
        self.charge_bytes(n.saturating_mul(3).saturating_add(cost))?;
        Ok(int_from_le(bytes))
    }

    fn text_int(&mut self, op: &'static str) -> Res<Value> {
        let line = self.line_str()?;
        if op == "INT" {
            match line {
                "00" => return Ok(Value::Bool(false)),
                "01" => return Ok(Value::Bool(true)),
                _ => {}
            }
        }
        self.charge_bytes(line.len())?;
        parse_int_text(line).ok_or_else(|| self.malformed("bad int literal"))
    }

    fn global(&mut self, module: &str, name: &str) -> Value {
        let module = match module {
            "__builtin__" => "builtins",
            "copy_reg" => "copyreg",
            other => other,
        };
        Value::Global(Arc::new(Global {
            module: module.to_string(),
            name: name.to_string(),
        }))
    }

    fn text_global(&mut self) -> Res<Value> {
        let module = self.line_str()?;
        let name = self.line_str()?;
        self.charge_bytes(module.len() + name.len())?;
        Ok(self.global(module, name))
    }

    // ------------------------------------------------------------------ the loop

    fn run(&mut self) -> Res<Item> {
        if self.data.is_empty() {
            return Err(self.err(ErrorKind::Empty));
        }
        loop {
            self.op_start = self.pos;
            let op = self.u8()?;
            match op {
                b'(' => {
                    self.charge(1)?;
                    self.marks.push(self.stack.len());
                }
                b'.' => return self.pop("STOP"),
                b'0' => {
                    if self.marks.last() == Some(&self.stack.len()) {
                        self.marks.pop();
                    } else {
                        self.pop("POP")?;
                    }
                }
                b'1' => {
                    self.pop_mark("POP_MARK")?;
                }
                b'2' => {
                    let item = self.top("DUP")?.clone();
                    self.push(item)?;
                }
                b'F' => {
                    let line = self.line_str()?;
                    let f = line
                        .trim()
                        .parse::<f64>()
                        .map_err(|_| self.malformed("bad float literal"))?;
                    self.push_value(Value::Float(f))?;
                }
                b'I' => {
                    let v = self.text_int("INT")?;
                    self.push_value(v)?;
                }
                b'J' => {
                    let n = self.i32()?;
                    self.push_value(Value::Int(n.into()))?;
                }
                b'K' => {
                    let n = self.u8()?;
                    self.push_value(Value::Int(n.into()))?;
                }
                b'L' => {
                    let v = self.text_int("LONG")?;
                    self.push_value(v)?;
                }
                b'M' => {
                    let n = self.u16()?;
                    self.push_value(Value::Int(n.into()))?;
                }
                b'N' => self.push_value(Value::None)?,
                b'P' => {
                    let line = self.line()?;
                    let pid = self.str_value(line)?;
                    self.push_value(Value::PersistentId(Arc::new(pid)))?;
                }
                b'Q' => {
                    let pid = self.pop("BINPERSID")?;
                    self.push_node(Node::PersId(pid))?;
                }
                b'R' => self.reduce()?,
                b'S' => {
                    let line = self.line()?;
                    let bytes = unquote_string(line).ok_or_else(|| self.malformed("bad STRING literal"))?;
                    let v = self.py2_str_value(&bytes)?;
                    self.push_value(v)?;
                }
                b'T' => {
                    let n = self.i32_len()?;
                    let bytes = self.take(n)?;
                    let v = self.py2_str_value(bytes)?;
                    self.push_value(v)?;
                }
                b'U' => {
                    let n = self.u8()?;
                    let bytes = self.take(n.into())?;
                    let v = self.py2_str_value(bytes)?;
                    self.push_value(v)?;
                }
                b'V' => {
                    let line = self.line()?;
                    self.charge_bytes(line.len().saturating_mul(2))?;
                    let s =
                        raw_unicode_unescape(line).ok_or_else(|| self.malformed("bad UNICODE literal"))?;
                    self.push_value(Value::Str(s.into()))?;
                }
                b'X' => {
                    let n = self.u32()?;
                    let bytes = self.take_u64(n.into())?;
                    let v = self.str_value(bytes)?;
                    self.push_value(v)?;
                }
                b'a' => {
                    let item = self.pop("APPEND")?;
                    self.extend_list("APPEND", vec![item])?;
                }
                b'b' => self.build()?,
                b'c' => {
                    let g = self.text_global()?;
                    self.push_value(g)?;
                }
                b'd' => {
                    let items = self.pop_mark("DICT")?;
                    let pairs = self.pairs(items)?;
                    self.push_node(Node::Dict(pairs))?;
                }
                b'}' => self.push_node(Node::Dict(Vec::new()))?,
                b'e' => {
                    let items = self.pop_mark("APPENDS")?;
                    self.extend_list("APPENDS", items)?;
                }
                b'g' => {
                    let key = self.text_key()?;
                    self.memo_get(key)?;
                }
                b'h' => {
                    let key = self.u8()?;
                    self.memo_get(key.into())?;
                }
                b'i' => {
                    let class = self.text_global()?;
                    let args = self.pop_mark("INST")?;
                    self.push_node(Node::Object(ObjNode::new(Item::V(class), Construct::Inst, args)))?;
                }
                b'j' => {
                    let key = self.u32()?;
                    self.memo_get(key.into())?;
                }
                b'l' => {
                    let items = self.pop_mark("LIST")?;
                    self.push_node(Node::List(items))?;
                }
                b']' => self.push_node(Node::List(Vec::new()))?,
                b'o' => {
                    let mut items = self.pop_mark("OBJ")?.into_iter();
                    let class = items
                        .next()
                        .ok_or_else(|| self.err(ErrorKind::StackUnderflow("OBJ")))?;
                    let obj = ObjNode::new(class, Construct::Obj, items.collect());
                    self.push_node(Node::Object(obj))?;
                }
                b'p' => {
                    let key = self.text_key()?;
                    self.memo_put(key, "PUT")?;
                }
                b'q' => {
                    let key = self.u8()?;
                    self.memo_put(key.into(), "BINPUT")?;
                }
                b'r' => {
                    let key = self.u32()?;
                    self.memo_put(key.into(), "LONG_BINPUT")?;
                }
                b's' => {
                    let value = self.pop("SETITEM")?;
                    let key = self.pop("SETITEM")?;
                    self.extend_dict("SETITEM", vec![(key, value)])?;
                }
                b't' => {
                    let items = self.pop_mark("TUPLE")?;
                    self.push_node(Node::Tuple(items))?;
                }
                b')' => self.push_node(Node::Tuple(Vec::new()))?,
                b'u' => {
                    let items = self.pop_mark("SETITEMS")?;
                    let pairs = self.pairs(items)?;
                    self.extend_dict("SETITEMS", pairs)?;
                }
                b'G' => {
                    let bytes = self.array::<8>()?;
                    self.push_value(Value::Float(f64::from_be_bytes(bytes)))?;
                }
                0x80 => {
                    let proto = self.u8()?;
                    if proto > HIGHEST_PROTOCOL {
                        return Err(self.err(ErrorKind::UnsupportedProtocol(proto)));
                    }
                }
                0x81 => {
                    let args = self.pop("NEWOBJ")?;
                    let class = self.pop("NEWOBJ")?;
                    let args = self.tuple_items(&args, "NEWOBJ arguments are not a tuple")?;
                    self.push_node(Node::Object(ObjNode::new(class, Construct::NewObj, args)))?;
                }
                0x82 => {
                    let code = self.u8()?;
                    self.push_value(Value::Extension(code.into()))?;
                }
                0x83 => {
                    let code = self.u16()?;
                    self.push_value(Value::Extension(code.into()))?;
                }
                0x84 => {
                    let code = self.i32()?;
                    self.push_value(Value::Extension(code.into()))?;
                }
                0x85..=0x87 => {
                    let n = usize::from(op - 0x84);
                    let name = ["TUPLE1", "TUPLE2", "TUPLE3"]
                        .get(n - 1)
                        .copied()
                        .unwrap_or("TUPLE");
                    if self.stack.len() < self.fence() + n {
                        return Err(self.err(ErrorKind::StackUnderflow(name)));
                    }
                    let items = self.stack.split_off(self.stack.len() - n);
                    self.push_node(Node::Tuple(items))?;
                }
                0x88 => self.push_value(Value::Bool(true))?,
                0x89 => self.push_value(Value::Bool(false))?,
                0x8a => {
                    let n = self.u8()?;
                    let bytes = self.take(n.into())?;
                    let v = self.long_value(bytes)?;
                    self.push_value(v)?;
                }
                0x8b => {
                    let n = self.i32_len()?;
                    let bytes = self.take(n)?;
                    let v = self.long_value(bytes)?;
                    self.push_value(v)?;
                }
                b'B' => {
                    let n = self.u32()?;
                    let bytes = self.take_u64(n.into())?;
                    let v = self.bytes_value(bytes)?;
                    self.push_value(v)?;
                }
                b'C' => {
                    let n = self.u8()?;
                    let bytes = self.take(n.into())?;
                    let v = self.bytes_value(bytes)?;
                    self.push_value(v)?;
                }
                0x8c => {
                    let n = self.u8()?;
                    let bytes = self.take(n.into())?;
                    let v = self.str_value(bytes)?;
                    self.push_value(v)?;
                }
                0x8d => {
                    let n = self.u64()?;
                    let bytes = self.take_u64(n)?;
                    let v = self.str_value(bytes)?;
                    self.push_value(v)?;
                }
                0x8e => {
                    let n = self.u64()?;
                    let bytes = self.take_u64(n)?;
                    let v = self.bytes_value(bytes)?;
                    self.push_value(v)?;
                }
                0x8f => self.push_node(Node::Set(Vec::new()))?,
                0x90 => {
                    let items = self.pop_mark("ADDITEMS")?;
                    self.add_items(items)?;
                }
                0x91 => {
                    let items = self.pop_mark("FROZENSET")?;
                    self.push_node(Node::FrozenSet(items))?;
                }
                0x92 => {
                    let kwargs = self.pop("NEWOBJ_EX")?;
                    let args = self.pop("NEWOBJ_EX")?;
                    let class = self.pop("NEWOBJ_EX")?;
                    let args = self.tuple_items(&args, "NEWOBJ_EX arguments are not a tuple")?;
                    let mut obj = ObjNode::new(class, Construct::NewObjEx, args);
                    obj.kwargs = Some(kwargs);
                    self.push_node(Node::Object(obj))?;
                }
                0x93 => {
                    let name = self.pop("STACK_GLOBAL")?;
                    let module = self.pop("STACK_GLOBAL")?;
                    match (module, name) {
                        (Item::V(Value::Str(module)), Item::V(Value::Str(name))) => {
                            self.charge_bytes(module.len().saturating_add(name.len()))?;
                            let g = self.global(&module, &name);
                            self.push_value(g)?;
                        }
                        _ => return Err(self.malformed("STACK_GLOBAL operands are not strings")),
                    }
                }
                0x94 => {
                    let key = self.memo.len() as u64;
                    self.memo_put(key, "MEMOIZE")?;
                }
                0x95 => {
                    // Frames only help buffering; their content is ordinary opcodes.
                    self.u64()?;
                }
                0x96 => {
                    let n = self.u64()?;
                    let bytes = self.take_u64(n)?;
                    self.charge_bytes(bytes.len())?;
                    self.push_value(Value::ByteArray(bytes.into()))?;
                }
                0x97 => {
                    let index = self.buffers;
                    self.buffers = self.buffers.saturating_add(1);
                    self.push_value(Value::OutOfBandBuffer(index))?;
                }
                0x98 => {
                    self.top("READONLY_BUFFER")?;
                }
                other => return Err(self.err(ErrorKind::UnknownOpcode(other))),
            }
        }
    }

    fn pairs(&mut self, items: Vec<Item>) -> Res<Vec<(Item, Item)>> {
        if items.len() % 2 != 0 {
            return Err(self.malformed("odd number of dict items"));
        }
        let mut pairs = Vec::with_capacity(items.len() / 2);
        let mut iter = items.into_iter();
        while let (Some(k), Some(v)) = (iter.next(), iter.next()) {
            pairs.push((k, v));
        }
        Ok(pairs)
    }

    fn extend_list(&mut self, op: &'static str, items: Vec<Item>) -> Res<()> {
        let id = self.top_node(op)?;
        self.charge(items.len())?;
        match self.node_mut(id)? {
            Node::List(list) => list.extend(items),
            Node::Object(obj) => obj.list_items.extend(items),
            _ => return Err(self.malformed("APPEND to a value that is not a list")),
        }
        Ok(())
    }

    fn extend_dict(&mut self, op: &'static str, pairs: Vec<(Item, Item)>) -> Res<()> {
        let id = self.top_node(op)?;
        self.charge(pairs.len())?;
        match self.node_mut(id)? {
            Node::Dict(dict) => dict.extend(pairs),
            Node::Object(obj) => obj.dict_items.extend(pairs),
            _ => return Err(self.malformed("SETITEM on a value that is not a dict")),
        }
        Ok(())
    }

    fn add_items(&mut self, items: Vec<Item>) -> Res<()> {
        let id = self.top_node("ADDITEMS")?;
        self.charge(items.len())?;
        match self.node_mut(id)? {
            Node::Set(set) => set.extend(items),
            Node::Object(obj) => obj.list_items.extend(items),
            _ => return Err(self.malformed("ADDITEMS on a value that is not a set")),
        }
        Ok(())
    }

    fn build(&mut self) -> Res<()> {
        let state = self.pop("BUILD")?;
        let id = self.top_node("BUILD")?;
        match self.node_mut(id)? {
            Node::Object(obj) => obj.state = Some(state),
            _ => return Err(self.malformed("BUILD on a value that is not an object")),
        }
        Ok(())
    }

    fn reduce(&mut self) -> Res<()> {
        let args = self.pop("REDUCE")?;
        let callable = self.pop("REDUCE")?;
        let args = self.tuple_items(&args, "REDUCE arguments are not a tuple")?;
        if let Some(item) = self.known_reduce(&callable, &args)? {
            return self.push(item);
        }
        self.push_node(Node::Object(ObjNode::new(callable, Construct::Reduce, args)))
    }

    /// Calls that only rebuild plain data (how protocols 0 to 3 write bytes, sets, bytearrays
    /// and dotted names) are evaluated here, so that every protocol decodes to the same value.
    fn known_reduce(&mut self, callable: &Item, args: &[Item]) -> Res<Option<Item>> {
        let Item::V(Value::Global(g)) = callable else {
            return Ok(None);
        };
        let item = match (g.module.as_str(), g.name.as_str(), args) {
            ("_codecs", "encode", [Item::V(Value::Str(s)), Item::V(Value::Str(enc))]) => {
                self.charge_bytes(s.len().saturating_add(enc.len()))?;
                encode(s, enc).map(|b| Item::V(Value::Bytes(b.into())))
            }
            ("builtins", "bytes", []) => Some(Item::V(Value::Bytes(Arc::from(&b""[..])))),
            ("builtins", "bytes", [Item::V(Value::Bytes(b))]) => Some(Item::V(Value::Bytes(b.clone()))),
            ("builtins", "bytearray", []) => Some(Item::V(Value::ByteArray(Arc::from(&b""[..])))),
            ("builtins", "bytearray", [Item::V(Value::Bytes(b))]) => {
                Some(Item::V(Value::ByteArray(b.clone())))
            }
            ("builtins", "bytearray", [Item::V(Value::Str(s)), Item::V(Value::Str(enc))]) => {
                self.charge_bytes(s.len().saturating_add(enc.len()))?;
                encode(s, enc).map(|b| Item::V(Value::ByteArray(b.into())))
            }
            ("builtins", "set" | "frozenset", []) => {
                let node = if g.name == "set" {
                    Node::Set(Vec::new())
                } else {
                    Node::FrozenSet(Vec::new())
                };
                Some(self.new_node(node)?)
            }
            ("builtins", "set" | "frozenset", [Item::N(id)]) => {
                let items = match self.nodes.get(*id) {
                    Some(Node::List(v) | Node::Tuple(v) | Node::Set(v) | Node::FrozenSet(v)) => {
                        Some(v.clone())
                    }
                    _ => None,
                };
                match items {
                    Some(items) => {
                        self.charge(items.len())?;
                        let node = if g.name == "set" {
                            Node::Set(items)
                        } else {
                            Node::FrozenSet(items)
                        };
                        Some(self.new_node(node)?)
                    }
                    None => None,
                }
            }
            ("builtins", "getattr", [Item::V(Value::Global(owner)), Item::V(Value::Str(attr))]) => {
                self.charge_bytes(owner.name.len() + attr.len() + 1)?;
                let name = format!("{}.{}", owner.name, attr);
                Some(Item::V(Value::Global(Arc::new(Global {
                    module: owner.module.clone(),
                    name,
                }))))
            }
            ("copyreg", "_reconstructor", [class, _base, state]) => {
                let args = match state {
                    Item::V(Value::None) => Vec::new(),
                    other => vec![other.clone()],
                };
                let obj = ObjNode::new(class.clone(), Construct::Reconstructor, args);
                Some(self.new_node(Node::Object(obj))?)
            }
            ("copyreg", "__newobj__", [class, rest @ ..]) => {
                let obj = ObjNode::new(class.clone(), Construct::NewObj, rest.to_vec());
                Some(self.new_node(Node::Object(obj))?)
            }
            _ => None,
        };
        Ok(item)
    }
}

// ---------------------------------------------------------------------- freezing

/// Converts the arena into values without recursion (so that the depth limit, not the thread's
/// stack, bounds nesting): a depth-first walk with an explicit stack, each node built once when
/// all its children are built. A child still unbuilt at that point is an ancestor: a cycle.
struct Freezer<'n> {
    nodes: &'n [Node],
    cache: Vec<Option<Value>>,
    active: Vec<bool>,
    max_depth: usize,
}

fn child_ids(node: &Node) -> Vec<usize> {
    let mut ids = Vec::new();
    let mut add = |item: &Item| {
        if let Item::N(id) = item {
            ids.push(*id);
        }
    };
    match node {
        Node::List(items) | Node::Tuple(items) | Node::Set(items) | Node::FrozenSet(items) => {
            items.iter().for_each(&mut add)
        }
        Node::Dict(pairs) => pairs.iter().for_each(|(k, v)| {
            add(k);
            add(v);
        }),
        Node::PersId(pid) => add(pid),
        Node::Object(obj) => {
            add(&obj.callable);
            obj.args.iter().for_each(&mut add);
            obj.kwargs.iter().for_each(&mut add);
            obj.state.iter().for_each(&mut add);
            obj.list_items.iter().for_each(&mut add);
            obj.dict_items.iter().for_each(|(k, v)| {
                add(k);
                add(v);
            });
        }
    }
    ids
}

impl Freezer<'_> {
    fn run(&mut self, root: &Item) -> Result<Value, ErrorKind> {
        let root_id = match root {
            Item::V(v) => return Ok(v.clone()),
            Item::N(id) => *id,
        };
        // (node, depth, all children done)
        let mut work: Vec<(usize, usize, bool)> = vec![(root_id, 0, false)];
        while let Some((id, depth, done)) = work.pop() {
            if done {
                let value = self.build(id)?;
                if let Some(flag) = self.active.get_mut(id) {
                    *flag = false;
                }
                if let Some(slot) = self.cache.get_mut(id) {
                    *slot = Some(value);
                }
                continue;
            }
            if self.is_cached(id) || self.active.get(id).copied().unwrap_or(false) {
                continue;
            }
            if depth >= self.max_depth {
                return Err(ErrorKind::TooDeep(self.max_depth));
            }
            let node = self.nodes.get(id).ok_or(ErrorKind::Malformed("dangling node"))?;
            if let Some(flag) = self.active.get_mut(id) {
                *flag = true;
            }
            work.push((id, depth, true));
            for child in child_ids(node).into_iter().rev() {
                if !self.is_cached(child) {
                    work.push((child, depth + 1, false));
                }
            }
        }
        self.cache
            .get_mut(root_id)
            .and_then(Option::take)
            .ok_or(ErrorKind::Malformed("dangling node"))
    }

    fn is_cached(&self, id: usize) -> bool {
        matches!(self.cache.get(id), Some(Some(_)))
    }

    fn get(&self, item: &Item) -> Value {
        match item {
            Item::V(v) => v.clone(),
            Item::N(id) => match (self.cache.get(*id), self.nodes.get(*id)) {
                (Some(Some(v)), _) => v.clone(),
                (_, Some(Node::List(_))) => Value::Recursive("[...]"),
                (_, Some(Node::Tuple(_))) => Value::Recursive("(...)"),
                (_, Some(Node::Dict(_) | Node::Set(_) | Node::FrozenSet(_))) => Value::Recursive("{...}"),
                _ => Value::Recursive("<...>"),
            },
        }
    }

    fn seq(&self, items: &[Item]) -> Vec<Value> {
        items.iter().map(|i| self.get(i)).collect()
    }

    fn pairs(&self, pairs: &[(Item, Item)]) -> Vec<(Value, Value)> {
        pairs.iter().map(|(k, v)| (self.get(k), self.get(v))).collect()
    }

    fn build(&self, id: usize) -> Result<Value, ErrorKind> {
        let node = self.nodes.get(id).ok_or(ErrorKind::Malformed("dangling node"))?;
        Ok(match node {
            Node::List(items) => Value::List(self.seq(items).into()),
            Node::Tuple(items) => Value::Tuple(self.seq(items).into()),
            Node::Set(items) => Value::Set(self.seq(items).into()),
            Node::FrozenSet(items) => Value::FrozenSet(self.seq(items).into()),
            Node::Dict(pairs) => Value::Dict(self.pairs(pairs).into()),
            Node::PersId(pid) => Value::PersistentId(Arc::new(self.get(pid))),
            Node::Object(obj) => Value::Object(Arc::new(Object {
                callable: self.get(&obj.callable),
                how: obj.how,
                args: self.seq(&obj.args),
                kwargs: obj.kwargs.as_ref().map(|i| self.get(i)),
                state: obj.state.as_ref().map(|i| self.get(i)),
                list_items: self.seq(&obj.list_items),
                dict_items: self.pairs(&obj.dict_items),
            })),
        })
    }
}

// ---------------------------------------------------------------------- literals

/// Decodes UTF-8 as Python's pickle does (`surrogatepass`), except that lone surrogates, which
/// a Rust string cannot hold, and any other invalid sequence become U+FFFD.
fn utf8_surrogatepass(bytes: &[u8]) -> String {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return s.to_string();
    }
    let mut out = String::with_capacity(bytes.len());
    let mut rest = bytes;
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                out.push_str(s);
                break;
            }
            Err(e) => {
                let (good, bad) = rest.split_at(e.valid_up_to());
                out.push_str(std::str::from_utf8(good).unwrap_or_default());
                out.push('\u{FFFD}');
                // An encoded surrogate is ED A0..BF 80..BF: skip it whole.
                let skip = match bad {
                    [0xED, 0xA0..=0xBF, 0x80..=0xBF, ..] => 3,
                    _ => e.error_len().unwrap_or(bad.len()).max(1),
                };
                rest = bad.get(skip..).unwrap_or_default();
            }
        }
    }
    out
}

fn encode(s: &str, encoding: &str) -> Option<Vec<u8>> {
    match encoding.to_ascii_lowercase().replace('_', "-").as_str() {
        // ASCII (the usual case) is copied as is; char by char only otherwise.
        "latin1" | "latin-1" | "iso-8859-1" | "iso8859-1" | "l1" if s.is_ascii() => {
            Some(s.as_bytes().to_vec())
        }
        "latin1" | "latin-1" | "iso-8859-1" | "iso8859-1" | "l1" => {
            s.chars().map(|c| u8::try_from(u32::from(c)).ok()).collect()
        }
        "ascii" | "us-ascii" => s.is_ascii().then(|| s.as_bytes().to_vec()),
        "utf-8" | "utf8" => Some(s.as_bytes().to_vec()),
        _ => None,
    }
}

/// The argument of `STRING`: a quoted Python 2 `repr` of a byte string.
fn unquote_string(line: &[u8]) -> Option<Vec<u8>> {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let (&first, rest) = line.split_first()?;
    let (&last, body) = rest.split_last()?;
    if first != last || !(first == b'\'' || first == b'"') {
        return None;
    }
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while let Some(&b) = body.get(i) {
        i += 1;
        if b != b'\\' {
            out.push(b);
            continue;
        }
        let Some(&e) = body.get(i) else {
            return None; // a trailing lone backslash
        };
        i += 1;
        match e {
            b'\n' => {}
            b'\\' | b'\'' | b'"' => out.push(e),
            b'a' => out.push(7),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'v' => out.push(11),
            b'0'..=b'7' => {
                let mut v = u32::from(e - b'0');
                for _ in 0..2 {
                    match body.get(i) {
                        Some(&d @ b'0'..=b'7') => {
                            v = v * 8 + u32::from(d - b'0');
                            i += 1;
                        }
                        _ => break,
                    }
                }
                out.push((v & 0xFF) as u8);
            }
            b'x' => {
                let hi = hex_val(*body.get(i)?)?;
                let lo = hex_val(*body.get(i + 1)?)?;
                i += 2;
                out.push(hi * 16 + lo);
            }
            other => {
                out.push(b'\\');
                out.push(other);
            }
        }
    }
    Some(out)
}

fn hex_val(b: u8) -> Option<u8> {
    char::from(b).to_digit(16).and_then(|d| u8::try_from(d).ok())
}

/// The argument of `UNICODE`: Python's `raw-unicode-escape` (Latin-1 plus `\uXXXX`, `\UXXXXXXXX`).
fn raw_unicode_unescape(line: &[u8]) -> Option<String> {
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while let Some(&b) = line.get(i) {
        i += 1;
        if b != b'\\' {
            out.push(char::from(b));
            continue;
        }
        let Some(&e) = line.get(i) else {
            out.push('\\');
            break;
        };
        i += 1;
        let count = match e {
            b'u' => 4,
            b'U' => 8,
            other => {
                out.push('\\');
                out.push(char::from(other));
                continue;
            }
        };
        let digits = line.get(i..i + count)?;
        i += count;
        let mut v: u32 = 0;
        for &d in digits {
            v = v * 16 + u32::from(hex_val(d)?);
        }
        if v > 0x10FFFF {
            return None;
        }
        out.push(char::from_u32(v).unwrap_or('\u{FFFD}'));
    }
    Some(out)
}

/// A decimal int literal of the text opcodes (`INT`, `LONG`), with Python 2's `L` suffix.
fn parse_int_text(line: &str) -> Option<Value> {
    let s = line.trim();
    let s = s.strip_suffix('L').unwrap_or(s);
    let (neg, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, s.get(1..)?),
        Some(b'+') => (false, s.get(1..)?),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if let Ok(n) = s.trim_start_matches('+').parse::<i64>() {
        return Some(Value::Int(n));
    }
    let digits = digits.trim_start_matches('0');
    let sign = if neg { "-" } else { "" };
    Some(Value::BigInt(format!("{sign}{digits}").into()))
}

/// A little-endian two's complement int (`LONG1`, `LONG4`).
fn int_from_le(bytes: &[u8]) -> Value {
    let negative = bytes.last().is_some_and(|&b| b & 0x80 != 0);
    if bytes.len() <= 8 {
        let mut buf = if negative { [0xFF; 8] } else { [0; 8] };
        for (dst, src) in buf.iter_mut().zip(bytes) {
            *dst = *src;
        }
        return Value::Int(i64::from_le_bytes(buf));
    }
    // Magnitude, little-endian.
    let mut mag = bytes.to_vec();
    if negative {
        let mut carry = true;
        for b in mag.iter_mut() {
            let (v, c) = (!*b).overflowing_add(u8::from(carry));
            *b = v;
            carry = c;
        }
    }
    while mag.last() == Some(&0) {
        mag.pop();
    }
    if mag.len() <= 8 {
        let mut buf = [0u8; 8];
        for (dst, src) in buf.iter_mut().zip(&mag) {
            *dst = *src;
        }
        let m = i128::from(u64::from_le_bytes(buf));
        if let Ok(n) = i64::try_from(if negative { -m } else { m }) {
            return Value::Int(n);
        }
    }
    let sign = if negative { "-" } else { "" };
    let text = if mag.len() > MAX_DECIMAL_INT_BYTES {
        let hex: String = mag.iter().rev().map(|b| format!("{b:02x}")).collect();
        format!("{sign}0x{}", hex.trim_start_matches('0'))
    } else {
        format!("{sign}{}", decimal(&mag))
    };
    Value::BigInt(text.into())
}

/// Decimal digits of a little-endian magnitude (schoolbook division by 10^9).
fn decimal(mag_le: &[u8]) -> String {
    // Big-endian base-2^32 limbs.
    let mut limbs: Vec<u32> = mag_le
        .chunks(4)
        .rev()
        .map(|c| c.iter().rev().fold(0u32, |acc, &b| (acc << 8) | u32::from(b)))
        .collect();
    let mut chunks: Vec<u32> = Vec::new();
    while limbs.iter().any(|&l| l != 0) {
        let mut rem: u64 = 0;
        for limb in limbs.iter_mut() {
            let cur = (rem << 32) | u64::from(*limb);
            *limb = (cur / 1_000_000_000) as u32;
            rem = cur % 1_000_000_000;
        }
        chunks.push(rem as u32);
        while limbs.first() == Some(&0) {
            limbs.remove(0);
        }
    }
    let mut out = String::new();
    for (i, chunk) in chunks.iter().rev().enumerate() {
        if i == 0 {
            out.push_str(&chunk.to_string());
        } else {
            out.push_str(&format!("{chunk:09}"));
        }
    }
    if out.is_empty() {
        out.push('0');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn big(v: Value) -> String {
        match v {
            Value::BigInt(s) => s.to_string(),
            Value::Int(n) => format!("int {n}"),
            _ => "other".into(),
        }
    }

    #[test]
    fn le_ints() {
        assert_eq!(big(int_from_le(&[])), "int 0");
        assert_eq!(big(int_from_le(&[0xff])), "int -1");
        assert_eq!(big(int_from_le(&[0x00, 0x80])), "int -32768");
        // 2**64
        assert_eq!(
            big(int_from_le(&[0, 0, 0, 0, 0, 0, 0, 0, 1])),
            "18446744073709551616"
        );
        // -(2**64)
        assert_eq!(
            big(int_from_le(&[0, 0, 0, 0, 0, 0, 0, 0, 0xff])),
            "-18446744073709551616"
        );
        // -(2**63) padded to 9 bytes still fits i64
        assert_eq!(
            big(int_from_le(&[0, 0, 0, 0, 0, 0, 0, 0x80, 0xff])),
            "int -9223372036854775808"
        );
        let mut b = vec![0u8; 12];
        b.push(0x10); // 2**100
        assert_eq!(big(int_from_le(&b)), "1267650600228229401496703205376");
    }

    #[test]
    fn text_literals() {
        assert_eq!(
            unquote_string(b"'a\\x41\\n\\101'").as_deref(),
            Some(&b"aA\nA"[..])
        );
        assert_eq!(unquote_string(b"'abc"), None);
        assert_eq!(
            raw_unicode_unescape(b"caf\xe9 \\u20ac\\\\u0041").as_deref(),
            Some("café €\\\\u0041")
        );
        assert!(matches!(parse_int_text("123L"), Some(Value::Int(123))));
        assert_eq!(
            big(parse_int_text("-1267650600228229401496703205376L").unwrap()),
            "-1267650600228229401496703205376"
        );
        assert!(parse_int_text("12a").is_none());
        assert_eq!(utf8_surrogatepass(b"a\xed\xa0\x80b\xffc"), "a\u{FFFD}b\u{FFFD}c");
    }
}
