using Microsoft.EntityFrameworkCore;

namespace Tessera.Node.Storage;

/// <summary>The node's database: SQLite in the data folder by default, PostgreSQL by connection string.</summary>
internal sealed class NodeDbContext(DbContextOptions<NodeDbContext> options) : DbContext(options)
{
    public DbSet<UserRecord> Users => Set<UserRecord>();

    public DbSet<TokenRecord> Tokens => Set<TokenRecord>();

    public DbSet<InvitationRecord> Invitations => Set<InvitationRecord>();

    public DbSet<AuditRecord> Audit => Set<AuditRecord>();

    public DbSet<Objects.ObjectRecord> Objects => Set<Objects.ObjectRecord>();

    public DbSet<Objects.AccessRequestRecord> AccessRequests => Set<Objects.AccessRequestRecord>();

    public DbSet<Budgets.BudgetRecord> Budgets => Set<Budgets.BudgetRecord>();

    public DbSet<Budgets.ReleaseRecord> Releases => Set<Budgets.ReleaseRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<UserRecord>(e =>
        {
            e.ToTable("users");
            e.HasKey(u => u.Id);
            e.Property(u => u.Id).HasMaxLength(32);
            e.Property(u => u.Email).HasMaxLength(320);
            e.HasIndex(u => u.Email).IsUnique();
            e.Property(u => u.PasswordHash).HasMaxLength(200);
            e.Property(u => u.Role).HasConversion<string>().HasMaxLength(20);
            e.Property(u => u.Status).HasConversion<string>().HasMaxLength(20);
        });
        modelBuilder.Entity<TokenRecord>(e =>
        {
            e.ToTable("tokens");
            e.HasKey(t => t.Hash);
            e.Property(t => t.Hash).HasMaxLength(64);
            e.Property(t => t.UserId).HasMaxLength(32);
            e.HasIndex(t => t.UserId);
        });
        modelBuilder.Entity<InvitationRecord>(e =>
        {
            e.ToTable("invitations");
            e.HasKey(i => i.Hash);
            e.Property(i => i.Hash).HasMaxLength(64);
            e.Property(i => i.Email).HasMaxLength(320);
            e.Property(i => i.Role).HasConversion<string>().HasMaxLength(20);
            e.Property(i => i.CreatedBy).HasMaxLength(32);
        });
        modelBuilder.Entity<AuditRecord>(e =>
        {
            e.ToTable("audit");
            e.HasKey(a => a.Id);
            e.Property(a => a.Id).HasMaxLength(32);
            e.Property(a => a.ActorId).HasMaxLength(32);
            e.Property(a => a.Action).HasMaxLength(64);
            e.Property(a => a.Subject).HasMaxLength(200);
            e.Property(a => a.Outcome).HasMaxLength(16);
            e.HasIndex(a => a.At);
        });

        Datasets.DatasetModel.Configure(modelBuilder);
        Tessera.Node.Objects.ObjectsModel.Configure(modelBuilder);
        Tessera.Node.Budgets.BudgetsModel.Configure(modelBuilder);

        // SQLite cannot order or compare DateTimeOffset; store UTC ticks there. PostgreSQL keeps timestamptz.
        if (Database.IsSqlite())
        {
            foreach (var entity in modelBuilder.Model.GetEntityTypes())
            {
                foreach (var property in entity.GetProperties().Where(p => p.ClrType == typeof(DateTimeOffset) || p.ClrType == typeof(DateTimeOffset?)))
                {
                    property.SetValueConverter(new Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter());
                }
            }
        }
    }
}
