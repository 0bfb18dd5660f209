using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Tessera.Node.Gateway;

/// <summary>The gateway's database (separate from a node's): domains and their catalogues. SQLite by default, PostgreSQL by connection string.</summary>
internal sealed class GatewayDbContext(DbContextOptions<GatewayDbContext> options) : DbContext(options)
{
    public DbSet<DomainRecord> Domains => Set<DomainRecord>();

    public DbSet<CatalogueDatasetRecord> Datasets => Set<CatalogueDatasetRecord>();

    public DbSet<CatalogueTagRecord> Tags => Set<CatalogueTagRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<DomainRecord>(e =>
        {
            e.ToTable("network_domains");
            e.HasKey(d => d.Id);
            e.Property(d => d.Id).HasMaxLength(32);
            e.Property(d => d.Name).HasMaxLength(CatalogueRules.MaxDomainNameLength);
            e.Property(d => d.Url).HasMaxLength(CatalogueRules.MaxUrlLength);
            e.Property(d => d.SecretHash).HasMaxLength(64);
            e.Property(d => d.CatalogueHash).HasMaxLength(64);
            e.HasIndex(d => d.LastSeen);
        });
        modelBuilder.Entity<CatalogueDatasetRecord>(e =>
        {
            e.ToTable("network_datasets");
            e.HasKey(d => new { d.DomainId, d.DatasetId });
            e.Property(d => d.DomainId).HasMaxLength(32);
            e.Property(d => d.DatasetId).HasMaxLength(CatalogueRules.MaxDatasetIdLength);
            e.Property(d => d.Name).HasMaxLength(CatalogueRules.MaxDatasetNameLength);
            e.Property(d => d.Description).HasMaxLength(CatalogueRules.MaxDescriptionLength);
            e.HasOne<DomainRecord>().WithMany().HasForeignKey(d => d.DomainId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<CatalogueTagRecord>(e =>
        {
            e.ToTable("network_tags");
            e.HasKey(t => new { t.DomainId, t.DatasetId, t.Tag });
            e.Property(t => t.DomainId).HasMaxLength(32);
            e.Property(t => t.DatasetId).HasMaxLength(CatalogueRules.MaxDatasetIdLength);
            e.Property(t => t.Tag).HasMaxLength(CatalogueRules.MaxTagLength);
            e.HasIndex(t => t.Tag);
            e.HasOne<CatalogueDatasetRecord>().WithMany().HasForeignKey(t => new { t.DomainId, t.DatasetId }).OnDelete(DeleteBehavior.Cascade);
        });

        // SQLite cannot order or compare DateTimeOffset; store UTC ticks there. PostgreSQL keeps timestamptz.
        if (Database.IsSqlite())
        {
            foreach (var entity in modelBuilder.Model.GetEntityTypes())
            {
                foreach (var property in entity.GetProperties().Where(p => p.ClrType == typeof(DateTimeOffset)))
                {
                    property.SetValueConverter(new DateTimeOffsetToBinaryConverter());
                }
            }
        }
    }
}
