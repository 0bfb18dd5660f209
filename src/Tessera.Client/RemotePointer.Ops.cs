namespace Tessera.Client;

/// <content>Tensor-like operations; each returns a new pointer and sends nothing.</content>
public sealed partial class RemotePointer
{
    /// <summary>Sum of every element.</summary>
    /// <returns>A pointer to a scalar.</returns>
    public RemotePointer Sum() => Reduce("sum", null, false);

    /// <summary>Sum along <paramref name="dim"/>.</summary>
    /// <param name="dim">The dimension (negative counts from the end).</param>
    /// <param name="keepDim">Keep the reduced dimension with size 1.</param>
    /// <returns>The reduced pointer.</returns>
    public RemotePointer Sum(int dim, bool keepDim = false) => Reduce("sum", [dim], keepDim);

    /// <summary>Sum along <paramref name="dims"/>.</summary>
    /// <param name="dims">The dimensions.</param>
    /// <param name="keepDim">Keep reduced dimensions with size 1.</param>
    /// <returns>The reduced pointer.</returns>
    public RemotePointer Sum(IReadOnlyList<int> dims, bool keepDim = false) => Reduce("sum", dims, keepDim);

    /// <summary>Mean of every element.</summary>
    /// <returns>A pointer to a scalar.</returns>
    public RemotePointer Mean() => Reduce("mean", null, false);

    /// <summary>Mean along <paramref name="dim"/>.</summary>
    /// <param name="dim">The dimension (negative counts from the end).</param>
    /// <param name="keepDim">Keep the reduced dimension with size 1.</param>
    /// <returns>The reduced pointer.</returns>
    public RemotePointer Mean(int dim, bool keepDim = false) => Reduce("mean", [dim], keepDim);

    /// <summary>Smallest element.</summary>
    /// <returns>A pointer to a scalar.</returns>
    public RemotePointer Min() => Reduce("min", null, false);

    /// <summary>Smallest elements along <paramref name="dim"/>.</summary>
    /// <param name="dim">The dimension (negative counts from the end).</param>
    /// <param name="keepDim">Keep the reduced dimension with size 1.</param>
    /// <returns>The reduced pointer.</returns>
    public RemotePointer Min(int dim, bool keepDim = false) => Reduce("min", [dim], keepDim);

    /// <summary>Largest element.</summary>
    /// <returns>A pointer to a scalar.</returns>
    public RemotePointer Max() => Reduce("max", null, false);

    /// <summary>Largest elements along <paramref name="dim"/>.</summary>
    /// <param name="dim">The dimension (negative counts from the end).</param>
    /// <param name="keepDim">Keep the reduced dimension with size 1.</param>
    /// <returns>The reduced pointer.</returns>
    public RemotePointer Max(int dim, bool keepDim = false) => Reduce("max", [dim], keepDim);

    /// <summary>Variance of every element (as the node defines it for plans).</summary>
    /// <returns>A pointer to a scalar.</returns>
    public RemotePointer Var() => Reduce("var", null, false);

    /// <summary>Standard deviation of every element.</summary>
    /// <returns>A pointer to a scalar.</returns>
    public RemotePointer Std() => Reduce("std", null, false);

    /// <summary>Elementwise negation.</summary>
    /// <returns>The new pointer.</returns>
    public RemotePointer Neg() => Unary("neg");

    /// <summary>Elementwise absolute value.</summary>
    /// <returns>The new pointer.</returns>
    public RemotePointer Abs() => Unary("abs");

    /// <summary>Elementwise e^x.</summary>
    /// <returns>The new pointer.</returns>
    public RemotePointer Exp() => Unary("exp");

    /// <summary>Elementwise natural logarithm.</summary>
    /// <returns>The new pointer.</returns>
    public RemotePointer Log() => Unary("log");

    /// <summary>Elementwise square root.</summary>
    /// <returns>The new pointer.</returns>
    public RemotePointer Sqrt() => Unary("sqrt");

    /// <summary>Elementwise sum with broadcasting.</summary>
    /// <param name="other">The other operand.</param>
    /// <returns>The new pointer.</returns>
    public RemotePointer Add(RemotePointer other) => Binary("add", other);

    /// <summary>Adds a number to every element.</summary>
    /// <param name="scalar">The number.</param>
    /// <returns>The new pointer.</returns>
    public RemotePointer Add(double scalar) => WithScalar("add", scalar);

    /// <summary>Elementwise difference with broadcasting.</summary>
    /// <param name="other">The other operand.</param>
    /// <returns>The new pointer.</returns>
    public RemotePointer Sub(RemotePointer other) => Binary("sub", other);

    /// <summary>Subtracts a number from every element.</summary>
    /// <param name="scalar">The number.</param>
    /// <returns>The new pointer.</returns>
    public RemotePointer Sub(double scalar) => WithScalar("sub", scalar);

    /// <summary>Elementwise product with broadcasting.</summary>
    /// <param name="other">The other operand.</param>
    /// <returns>The new pointer.</returns>
    public RemotePointer Mul(RemotePointer other) => Binary("mul", other);

    /// <summary>Multiplies every element by a number.</summary>
    /// <param name="scalar">The number.</param>
    /// <returns>The new pointer.</returns>
    public RemotePointer Mul(double scalar) => WithScalar("mul", scalar);

    /// <summary>Elementwise quotient with broadcasting.</summary>
    /// <param name="other">The divisor.</param>
    /// <returns>The new pointer.</returns>
    public RemotePointer Div(RemotePointer other) => Binary("div", other);

    /// <summary>Divides every element by a number.</summary>
    /// <param name="scalar">The divisor.</param>
    /// <returns>The new pointer.</returns>
    public RemotePointer Div(double scalar) => WithScalar("div", scalar);

    /// <summary>Elementwise equality (a Bool pointer).</summary>
    /// <param name="scalar">The number to compare with.</param>
    /// <returns>The new pointer.</returns>
    public RemotePointer Eq(double scalar) => WithScalar("eq", scalar);

    /// <summary>Elementwise inequality (a Bool pointer).</summary>
    /// <param name="scalar">The number to compare with.</param>
    /// <returns>The new pointer.</returns>
    public RemotePointer Ne(double scalar) => WithScalar("ne", scalar);

    /// <summary>Elementwise less-than (a Bool pointer).</summary>
    /// <param name="scalar">The number to compare with.</param>
    /// <returns>The new pointer.</returns>
    public RemotePointer Lt(double scalar) => WithScalar("lt", scalar);

    /// <summary>Elementwise less-or-equal (a Bool pointer).</summary>
    /// <param name="scalar">The number to compare with.</param>
    /// <returns>The new pointer.</returns>
    public RemotePointer Le(double scalar) => WithScalar("le", scalar);

    /// <summary>Elementwise greater-than (a Bool pointer).</summary>
    /// <param name="scalar">The number to compare with.</param>
    /// <returns>The new pointer.</returns>
    public RemotePointer Gt(double scalar) => WithScalar("gt", scalar);

    /// <summary>Elementwise greater-or-equal (a Bool pointer).</summary>
    /// <param name="scalar">The number to compare with.</param>
    /// <returns>The new pointer.</returns>
    public RemotePointer Ge(double scalar) => WithScalar("ge", scalar);

    /// <summary>Elementwise less-than against another pointer (a Bool pointer).</summary>
    /// <param name="other">The other operand.</param>
    /// <returns>The new pointer.</returns>
    public RemotePointer Lt(RemotePointer other) => Binary("lt", other);

    /// <summary>Elementwise greater-than against another pointer (a Bool pointer).</summary>
    /// <param name="other">The other operand.</param>
    /// <returns>The new pointer.</returns>
    public RemotePointer Gt(RemotePointer other) => Binary("gt", other);

    /// <summary>Matrix product.</summary>
    /// <param name="other">The right operand.</param>
    /// <returns>The new pointer.</returns>
    public RemotePointer MatMul(RemotePointer other) => Binary("matmul", other);

    /// <summary>Swaps the two dimensions of a matrix.</summary>
    /// <returns>The new pointer.</returns>
    public RemotePointer Transpose() => Unary("transpose");

    /// <summary>
    /// The rows where <paramref name="mask"/> (a Bool vector, one entry per row) is true. How many rows matched is private:
    /// the result's <see cref="Contracts.ObjectInfo.Shape"/> gives the row count before filtering as an upper bound
    /// (<see cref="Contracts.ObjectInfo.RowsUpperBound"/>), so reduce it (<c>Mean()</c>, <c>Sum()</c>) rather than index it.
    /// </summary>
    /// <param name="mask">The mask, such as <c>w.Gt(3.2)</c>; combine conditions with <see cref="And"/> and <see cref="Or"/>.</param>
    /// <returns>The new pointer.</returns>
    public RemotePointer Filter(RemotePointer mask) => Binary("filter", mask);

    /// <summary>Elementwise logical and of two Bool pointers.</summary>
    /// <param name="other">The other condition.</param>
    /// <returns>The new pointer.</returns>
    public RemotePointer And(RemotePointer other) => Binary("and", other);

    /// <summary>Elementwise logical or of two Bool pointers.</summary>
    /// <param name="other">The other condition.</param>
    /// <returns>The new pointer.</returns>
    public RemotePointer Or(RemotePointer other) => Binary("or", other);

    /// <summary>Elementwise logical negation of a Bool pointer.</summary>
    /// <returns>The new pointer.</returns>
    public RemotePointer Not() => Unary("not");

    /// <summary><paramref name="length"/> entries from <paramref name="start"/> along <paramref name="dim"/>.</summary>
    /// <param name="dim">The dimension.</param>
    /// <param name="start">The first index (negative counts from the end).</param>
    /// <param name="length">How many entries.</param>
    /// <returns>The new pointer.</returns>
    public RemotePointer Narrow(int dim, int start, int length) =>
        new(Client, "narrow", [this]) { Dims = [dim], Start = start, Length = length };

    /// <summary>Entry <paramref name="index"/> along <paramref name="dim"/>, removing that dimension.</summary>
    /// <param name="dim">The dimension.</param>
    /// <param name="index">The index (negative counts from the end).</param>
    /// <returns>The new pointer.</returns>
    public RemotePointer Select(int dim, int index) => new(Client, "select", [this]) { Dims = [dim], Start = index };

    /// <summary>Stacks pointers of one shape along a new dimension <paramref name="dim"/>.</summary>
    /// <param name="pointers">Two or more pointers of the same session.</param>
    /// <param name="dim">Where the new dimension goes.</param>
    /// <returns>The new pointer.</returns>
    /// <exception cref="ArgumentException">Fewer than one pointer, or pointers of different sessions.</exception>
    public static RemotePointer Stack(IReadOnlyList<RemotePointer> pointers, int dim = 0)
    {
        ArgumentNullException.ThrowIfNull(pointers);
        if (pointers.Count == 0)
        {
            throw new ArgumentException("Stack needs at least one pointer.", nameof(pointers));
        }

        foreach (var p in pointers)
        {
            pointers[0].CheckSameClient(p, nameof(pointers));
        }

        return new RemotePointer(pointers[0].Client, "stack", [.. pointers]) { Dims = [dim] };
    }

    /// <summary>Elementwise sum.</summary>
    /// <param name="left">The left operand.</param>
    /// <param name="right">The right operand.</param>
    /// <returns>The new pointer.</returns>
    public static RemotePointer operator +(RemotePointer left, RemotePointer right) => NotNull(left).Add(right);

    /// <summary>Adds a number to every element.</summary>
    /// <param name="left">The pointer.</param>
    /// <param name="right">The number.</param>
    /// <returns>The new pointer.</returns>
    public static RemotePointer operator +(RemotePointer left, double right) => NotNull(left).Add(right);

    /// <summary>Elementwise difference.</summary>
    /// <param name="left">The left operand.</param>
    /// <param name="right">The right operand.</param>
    /// <returns>The new pointer.</returns>
    public static RemotePointer operator -(RemotePointer left, RemotePointer right) => NotNull(left).Sub(right);

    /// <summary>Subtracts a number from every element.</summary>
    /// <param name="left">The pointer.</param>
    /// <param name="right">The number.</param>
    /// <returns>The new pointer.</returns>
    public static RemotePointer operator -(RemotePointer left, double right) => NotNull(left).Sub(right);

    /// <summary>Elementwise negation.</summary>
    /// <param name="value">The pointer.</param>
    /// <returns>The new pointer.</returns>
    public static RemotePointer operator -(RemotePointer value) => NotNull(value).Neg();

    /// <summary>Elementwise product.</summary>
    /// <param name="left">The left operand.</param>
    /// <param name="right">The right operand.</param>
    /// <returns>The new pointer.</returns>
    public static RemotePointer operator *(RemotePointer left, RemotePointer right) => NotNull(left).Mul(right);

    /// <summary>Multiplies every element by a number.</summary>
    /// <param name="left">The pointer.</param>
    /// <param name="right">The number.</param>
    /// <returns>The new pointer.</returns>
    public static RemotePointer operator *(RemotePointer left, double right) => NotNull(left).Mul(right);

    /// <summary>Elementwise quotient.</summary>
    /// <param name="left">The left operand.</param>
    /// <param name="right">The right operand.</param>
    /// <returns>The new pointer.</returns>
    public static RemotePointer operator /(RemotePointer left, RemotePointer right) => NotNull(left).Div(right);

    /// <summary>Divides every element by a number.</summary>
    /// <param name="left">The pointer.</param>
    /// <param name="right">The divisor.</param>
    /// <returns>The new pointer.</returns>
    public static RemotePointer operator /(RemotePointer left, double right) => NotNull(left).Div(right);

    private RemotePointer Reduce(string op, IReadOnlyList<int>? dims, bool keepDim) =>
        new(Client, op, [this]) { Dims = dims is null ? null : [.. dims], KeepDim = keepDim ? true : null };

    private RemotePointer Unary(string op) => new(Client, op, [this]);

    private RemotePointer WithScalar(string op, double scalar)
    {
        if (!double.IsFinite(scalar))
        {
            throw new ArgumentOutOfRangeException(nameof(scalar), scalar, "Plan scalars must be finite numbers.");
        }

        return new RemotePointer(Client, op, [this]) { Scalar = scalar };
    }

    private RemotePointer Binary(string op, RemotePointer other)
    {
        CheckSameClient(other, nameof(other));
        return new RemotePointer(Client, op, [this, other]);
    }

    private void CheckSameClient(RemotePointer other, string parameter)
    {
        ArgumentNullException.ThrowIfNull(other, parameter);
        if (!ReferenceEquals(other.Client, Client))
        {
            throw new ArgumentException(
                $"Pointers of different sessions cannot be combined ({Client.Domain} and {other.Client.Domain}); plans run on one node.", parameter);
        }
    }

    private static RemotePointer NotNull(RemotePointer value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value;
    }
}
