//! The decoded form of a pickle: plain data plus inert descriptions of constructed objects.

use std::fmt;
use std::sync::Arc;

/// A decoded pickle value. Composite values are behind `Arc`, so that a value the pickle
/// references many times through its memo is held once (cloning is cheap) and a decoded value
/// can be handed to another thread (a TUI decodes off its drawing thread).
///
/// Because of that sharing, walking a `Value` naively can take time exponential in its size
/// (a "billion laughs" pickle); [`crate::pickle::render`] bounds its output instead, and so does
/// `Debug`, which renders.
#[derive(Clone)]
pub enum Value {
    None,
    Bool(bool),
    Int(i64),
    /// An int outside `i64`, as decimal digits with an optional `-`; ints of more than 1024
    /// bytes are kept as `0x` hex instead (Python itself refuses to print them in decimal).
    BigInt(Arc<str>),
    Float(f64),
    Str(Arc<str>),
    /// `bytes`, and the 8-bit `str` of Python 2 pickles (`STRING` opcodes).
    Bytes(Arc<[u8]>),
    ByteArray(Arc<[u8]>),
    List(Arc<[Value]>),
    Tuple(Arc<[Value]>),
    /// Items in pickle (= Python insertion) order.
    Dict(Arc<[(Value, Value)]>),
    Set(Arc<[Value]>),
    FrozenSet(Arc<[Value]>),
    /// A reference to a module attribute (a class or a function), from `GLOBAL`/`STACK_GLOBAL`.
    Global(Arc<Global>),
    /// What a constructor call in the pickle would have built.
    Object(Arc<Object>),
    /// A `PERSID`/`BINPERSID` reference: the object lives outside the pickle.
    PersistentId(Arc<Value>),
    /// An `EXT1`/`EXT2`/`EXT4` code from the copyreg extension registry.
    Extension(i64),
    /// The n-th out-of-band buffer of a protocol 5 pickle (`NEXT_BUFFER`).
    OutOfBandBuffer(u64),
    /// A reference back to a container that encloses it (`l = []; l.append(l)`), with the text
    /// Python would print for it: `[...]`, `{...}`, `(...)` or `<...>`.
    Recursive(&'static str),
}

/// A module attribute; names are normalised from Python 2 (`__builtin__` is `builtins`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Global {
    pub module: String,
    /// May be dotted (`ZoneInfo._unpickle`).
    pub name: String,
}

/// Which opcode (or helper) built an [`Object`]; kept so a reader can tell `cls(*args)` from
/// `cls.__new__(cls, *args)`, although rendering treats them alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Construct {
    /// `REDUCE`: `callable(*args)`.
    Reduce,
    /// `NEWOBJ` (or `copyreg.__newobj__`): `cls.__new__(cls, *args)`.
    NewObj,
    /// `NEWOBJ_EX`: `cls.__new__(cls, *args, **kwargs)`.
    NewObjEx,
    /// Protocol 0 `INST`.
    Inst,
    /// Protocol 1 `OBJ`.
    Obj,
    /// `copyreg._reconstructor(cls, base, state)`, protocol 0/1's way of pickling plain objects.
    Reconstructor,
}

/// An object the pickle would have constructed, described instead of built.
#[derive(Clone)]
pub struct Object {
    /// The class or function called; almost always a [`Value::Global`].
    pub callable: Value,
    pub how: Construct,
    pub args: Vec<Value>,
    /// Keyword arguments of `NEWOBJ_EX` (a dict).
    pub kwargs: Option<Value>,
    /// The argument of `BUILD` (`__setstate__` or `__dict__` update), e.g. a model's fields.
    pub state: Option<Value>,
    /// Items appended to the object (list subclasses, `APPEND`/`APPENDS`/`ADDITEMS`).
    pub list_items: Vec<Value>,
    /// Items set on the object (dict subclasses such as `OrderedDict`, `SETITEM(S)`).
    pub dict_items: Vec<(Value, Value)>,
}

impl Object {
    /// `(module, name)` of the callable when it is a plain global, as recognisers match on it.
    pub fn class_path(&self) -> Option<(&str, &str)> {
        match &self.callable {
            Value::Global(g) => Some((g.module.as_str(), g.name.as_str())),
            _ => None,
        }
    }
}

impl Value {
    /// The text of a `str` value, for callers that look inside decoded values.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The items of a list, tuple, set or frozenset.
    pub fn as_seq(&self) -> Option<&[Value]> {
        match self {
            Value::List(v) | Value::Tuple(v) | Value::Set(v) | Value::FrozenSet(v) => Some(v),
            _ => None,
        }
    }

    /// The items of a dict.
    pub fn as_dict(&self) -> Option<&[(Value, Value)]> {
        match self {
            Value::Dict(items) => Some(items),
            _ => None,
        }
    }

    /// Looks a `str` key up in a dict (linear: pickled dicts are small and unhashed here).
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_dict()?
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v)
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::pickle::render(
            self,
            &crate::pickle::RenderOptions::default(),
        ))
    }
}

impl fmt::Debug for Object {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&Value::Object(Arc::new(self.clone())), f)
    }
}
