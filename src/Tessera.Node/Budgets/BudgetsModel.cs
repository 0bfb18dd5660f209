using Microsoft.EntityFrameworkCore;

namespace Tessera.Node.Budgets;

/// <summary>The EF Core mapping of privacy budgets and releases (created by migration M004_Budgets).</summary>
internal static class BudgetsModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<BudgetRecord>(e =>
        {
            e.ToTable("budgets");
            e.HasKey(b => new { b.UserId, b.DatasetId });
            e.Property(b => b.UserId).HasMaxLength(32);
            e.Property(b => b.DatasetId).HasMaxLength(32);
            e.HasIndex(b => b.DatasetId);
        });
        modelBuilder.Entity<ReleaseRecord>(e =>
        {
            e.ToTable("releases");
            e.HasKey(r => r.Id);
            e.Property(r => r.Id).HasMaxLength(32);
            e.Property(r => r.UserId).HasMaxLength(32);
            e.Property(r => r.DatasetId).HasMaxLength(32);
            e.Property(r => r.Column).HasMaxLength(128);
            e.Property(r => r.Aggregate).HasMaxLength(16);
            e.HasIndex(r => new { r.UserId, r.DatasetId });
        });
    }
}
