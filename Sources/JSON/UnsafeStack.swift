/// A growable stack on manually managed memory: pushes and pops without uniqueness checks,
/// and a run of elements can be moved out into an array without retain/release traffic.
struct UnsafeStack<Element>: ~Copyable {
    private var base: UnsafeMutablePointer<Element>
    private var capacity: Int
    /// The number of elements on the stack.
    private(set) var count = 0

    init(initialCapacity: Int) {
        capacity = Swift.max(initialCapacity, 1)
        base = .allocate(capacity: capacity)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    @inline(__always)
    mutating func push(_ element: consuming Element) {
        if count == capacity { grow() }
        (base + count).initialize(to: element)
        count += 1
    }

    /// The element at `index` (which must be below `count`).
    @inline(__always)
    subscript(index: Int) -> Element {
        get { base[index] }
        _modify { yield &base[index] }
    }

    /// Moves the elements from `start` to the top into a new array, leaving `start` elements.
    /// (Appending to a reserved array keeps the array's type metadata statically cached,
    /// which `Array(unsafeUninitializedCapacity:)` looks up at run time on every call.)
    mutating func popArray(from start: Int) -> [Element] {
        var array = [Element]()
        array.reserveCapacity(count - start)
        for index in start..<count {
            array.append((base + index).move())
        }
        count = start
        return array
    }

    /// Drops the top element.
    mutating func removeLast() {
        count -= 1
        (base + count).deinitialize(count: 1)
    }

    private mutating func grow() {
        let newCapacity = capacity * 2
        let newBase = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        newBase.moveInitialize(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }
}
