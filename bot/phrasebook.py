"""Read a question asked in Russian, Spanish, Portuguese or Indonesian as the English the
question rules understand.

Word by word, from a small vocabulary of stems per language: "сколько женщин в сегменте 2?"
reads as "how many women in segment 2", "¿quién es el cliente 42?" as "who is customer 42",
"los cinco mejores clientes" as "best 5 customers". A few multi-word phrases are read first
("что изменилось" -> "what changed"). The rules in :mod:`bot.questions` already accept
telegraphic English in any word order, so a faithful word list is enough; fillers (articles,
"please", pronouns) are dropped and a word no list knows stays as it is.

Which language a Latin-script message is in is guessed from its words, so a word two languages
spell alike ("dos": two in Spanish, "of the" in Portuguese) is read the way its message means
it; the chat's language setting plays no part.

Nothing here can reach a command that changes or deletes data: no list maps a word onto
"forget", "delete", "use", "k", "features" or "columns", and a message that speaks of deleting
("удалить", "borrar", "apagar", "hapus" …) is marked as such (:attr:`Reading.deleting`) so that
it is never read as a question at all.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache, partial

from bot.intents import NUMBER_WORDS_BY_LANGUAGE

#: The languages read here, Russian first (the only one in Cyrillic).
LANGUAGES = ("ru", "es", "pt_BR", "id")

# Word lists: one meaning a line, "english: word word stem* …" (folded spelling: lower case,
# no accents, ё as е). A word ending in "*" is a stem and matches every word starting with it;
# the longest matching stem wins. English "-" drops the word, "!" marks a word of deleting.
_WORDS = {
    "ru": """
        segment: сегмент* кластер* групп* сег
        customer: покупател* клиент* участник* посетител* член члена членов
        people: люди людей человек человека
        women: женщин* женск* девушек девушки
        men: мужчин* мужск* мужик*
        how many: сколько скока скоко скок
        number of: количеств* число численност*
        size of: размер*
        average: средн*
        median: медиан*
        total: сумм* всего итого общ*
        income: доход* зарплат* заработок заработк* получают
        earns: зарабатыва*
        age: возраст*
        years: лет год года
        spend: трат* расход*
        buys: покупает покупают покупал*
        score: оценк* балл*
        top: топ
        best: лучш*
        worst: худш*
        rich: богат* состоятельн*
        high: высок*
        low: низк*
        best: перспективн* выгодн* прибыльн* доходн* рентабельн*
        about: информац* инфа инфу
        difference: отличаю* отличае* отличия отличие отличий
        great: отлично супер класс круто прекрасно
        ok: ок окей оке
        target: упор реклам* направ*
        work: работать работаем работаете
        poor: бедн*
        old: стар* пожил*
        young: молод*
        valuable: ценн*
        loyal: лояльн* постоянн*
        most: самы* самого самой наиболее
        who: кто кого кому
        which: какой какая какое какие какую каком какого каких каким которы*
        what: что
        target: выбрать выбираем выберем выбери выбор нацел* целев* цель целью таргет* ориентир*
        target: ставк* рассылк*
        focus: фокус* сосредоточ* сконцентр*
        prioritize: приоритет*
        recommend: рекоменд* порекоменд* посовет* советуешь
        retain: удерж* сохранить
        so many: столько
        should: стоит нужно надо следует лучше должны должен
        we: мы
        could: можем могли могут может можно рискуем
        churn: потер* теря* отток* уйти уйдут уходят уходит ушли
        moved: перешл* перешедш* переместил*
        win back: вернуть
        discount: скидк*
        coupon: купон* промокод*
        voucher: ваучер* сертификат*
        give: дать дадим дать
        report: отчет* pdf
        presentation: презентац*
        print: распечат* печат*
        help: помощ* помоги помогите справк* подсказ* инструкц*
        commands: команд*
        compare: сравн*
        changes: изменени* динамик*
        changes: изменил* поменял*
        difference: разниц*
        month: месяц*
        last: прошл*
        chart: график* диаграмм* картинк* визуализ*
        profile: профил*
        draw: нарисуй
        export: экспорт* выгруз*
        download: скача* скачай
        excel: эксель* excel таблиц* xlsx
        files: файл*
        uploads: загрузк* загрузок
        overview: обзор*
        summary: сводк* итог итоги
        list: список* перечисли
        all: все всех всё
        show: покажи покажите показать показывай выведи дай
        show: расскажи расскажите рассказать подробн* опиши
        about: про о об
        find: найди найти найдите ищи поиск*
        hello: привет* здравств* хай салют
        start: начать начнем старт
        thanks: спасиб* пасиб* благодар* спс
        number: номер номером
        id: ид айди
        in: в во среди
        by: по
        and: и
        with: с со
        for: для
        -: пожалуйста пожалуйсто пжл пж плиз мне меня мой моя мое мои моих моим наш наша наше наши
        -: наших нашим нам нас а ли же бы вот ну это этот эта эти эту этих у есть ещё еще на за от
        -: слушай слушайте к ко там тут сейчас теперь просто именно вообще из них их ты вы тебе вам
        -: ли-то
        !: удал* стер* сотр* очист* забуд* забыв* забуть уничтож* сброс* сбрось
    """,
    "es": """
        segment: segment* cluster* grupo grupos seg
        customer: cliente* clienta* miembro* socio* comprador* consumidor* usuario*
        people: persona personas gente
        women: mujer* femenin* damas senoras chicas
        men: hombre* masculin* varon varones senores caballeros
        how many: cuantos cuantas cuanto cuanta
        number of: cantidad
        number: numero num
        size of: tamano
        average: promedi* media medio
        median: mediana
        total: total suma
        income: ingreso* salario* sueldo* renta
        age: edad* edades
        years: anos
        spend: gast*
        buys: compra compran compraron
        score: puntuacion* puntaje* puntos
        top: top
        best: mejor mejores
        worst: peor peores
        rich: rico ricos rica ricas adinerad*
        high: alto altos alta altas
        low: bajo bajos
        data: datos
        best: prometedor* potencial rentable* lucrativ* redituable*
        about: informacion info
        work: trabajar trabajamos trabajo
        poor: pobre pobres
        old: viejo viejos mayor mayores
        young: joven jovenes
        valuable: valios*
        loyal: leal leales fiel fieles
        most: mas
        least: menos
        who: quien quienes
        is: es
        which: cual cuales
        what: que
        target: atac* apunt* dirig* enfoc* objetivo* elegir elegimos elige elijo elijamos elegiria
        target: escog*
        target: escoj* apost*
        focus: centrar centramos centremos centrarnos concentr*
        prioritize: prioriz* prioridad*
        recommend: recomiend* recomend* aconsej*
        retain: reten* retien*
        so many: tantos tantas
        should: deberiamos debemos deberia debo debe deben conviene
        we: nosotros
        could: podriamos podemos podria pueden puede
        churn: perder perdemos perderiamos perdiendo perdido perdidos perdimos abandon* fuga
        earns: gana ganan
        win back: recuperar reconquistar
        discount: descuento*
        coupon: cupon cupones
        voucher: promocion promociones promo
        give: dar damos
        report: informe* reporte* pdf
        presentation: presentacion*
        print: imprimir imprime
        help: ayud* instrucciones
        commands: comando*
        compare: compar*
        changes: cambios
        changes: cambio cambiaron cambiado
        difference: diferencia*
        month: mes
        last: pasado anterior
        chart: grafic* diagrama* visualiz*
        profile: perfil*
        scatter: dispersion
        draw: dibuja dibujar
        export: export*
        download: descarg* bajar baja
        excel: excel planilla xlsx
        files: archivo*
        uploads: cargas subidas
        overview: panorama
        summary: resumen* resume
        list: lista listado enumera
        all: todos todas
        show: muestr* mostrar ensename ensenar ver dame pasame
        send: enviame envia envie manda mandame
        show: hablame habla cuentame cuenta describe detalles
        about: sobre acerca
        find: busca buscar buscame encuentra
        hello: hola buenas
        start: empezar comenzar iniciar
        thanks: gracias agradezco
        great: excelente genial perfecto
        in: en entre
        by: por
        and: y
        with: con
        for: para
        -: oye mira el la los las lo un una unos unas de del al mis mi tu tus su sus nuestros
        -: nuestras
        -: nuestro nuestra nos me te se le les hay son esta estan tengo tenemos tienen tiene favor
        -: porfa porfavor estamos estan este esta estos estas ese esa esos esas ahora ya a puedes
        -: podrias quiero quisiera
        !: borr* elimin* suprim* olvid* limpi* vaci* reseta* resetea* quita quitar
    """,
    "pt_BR": """
        segment: segment* cluster* grupo grupos seg
        customer: cliente* membro* socio* comprador* consumidor* usuario*
        people: pessoa pessoas gente
        women: mulher* feminin* mocas
        men: homem homens masculin* rapazes
        how many: quantos quantas quanto quanta qtos qtas qnts qts
        number of: quantidade
        number: numero num
        size of: tamanho
        average: media medio medias
        median: mediana
        total: total soma
        income: renda* salario* rendimento*
        age: idade*
        years: anos
        spend: gast* consumo
        buys: compra compram compraram
        score: pontuacao* pontos
        top: top
        best: melhor melhores
        worst: pior piores
        rich: rico ricos rica ricas
        high: alto altos alta altas
        low: baixo baixos
        data: dados
        best: promissor* potencial lucrativ* rentave*
        about: informacao informacoes info
        work: trabalhar trabalha trabalhamos
        poor: pobre pobres
        old: velho velhos velha velhas
        young: jovem jovens
        valuable: valios*
        loyal: leal leais fiel fieis
        most: mais
        least: menos
        who: quem
        is: eh
        which: qual quais
        what: que
        target: atac* focar focamos foco focarmos focada focado alvo* escolh* apost* direcion*
        target: ating*
        focus: concentr*
        prioritize: prioriz* prioridade*
        recommend: recomend* aconselh*
        retain: reter retemos manter mantemos segurar
        so many: tantos tantas
        should: devemos devo deveria deveriamos devia deve devem convem
        we: nos
        could: podemos poderiamos pode podem poderia
        churn: perder perdemos perdendo perdido perdidos perderiamos abandon* sumir sumiram sumindo
        earns: ganha ganham
        win back: recuperar reconquistar
        discount: desconto*
        coupon: cupom cupons cupon
        voucher: promocao promocoes promo
        give: dar damos
        report: relatorio* pdf
        presentation: apresentac*
        print: imprimir imprima
        help: ajud* instrucoes
        commands: comando*
        compare: compar*
        changes: mudanca mudancas
        changes: mudou mudaram
        difference: diferenca*
        month: mes
        last: passado anterior
        chart: grafico* diagrama* visualiz*
        profile: perfil* perfis
        scatter: dispersao
        draw: desenhe desenha desenhar
        export: export*
        download: baix* download
        excel: excel planilha* xlsx
        files: arquivo*
        uploads: envios uploads
        overview: panorama
        summary: resumo* resuma
        list: lista listagem liste
        all: todos todas
        show: mostr* exib* ver veja
        send: manda mande envie envia me manda
        show: fale fala conte conta detalh* descreva
        about: sobre
        find: procur* busc* ache encontre
        hello: ola oi opa
        start: comecar iniciar
        thanks: obrigad* valeu agradeco
        great: otimo excelente perfeito
        in: em no na nas entre
        by: por
        and: e
        with: com
        for: para pra pro
        -: olha pela pelo o a os as um uma uns umas do da dos das de meus minhas meu minha seu sua
        -: seus suas
        -: nossos nossas nosso nossa tenho temos tem tens estamos estao me te se ai ne pfv pf vc
        -: voce isso isto esse essa esses essas este esta estes estas agora ja eu quero queria
        -: poderia pode
        !: apag* exclu* delet* remov* esquec* limp* zerar zera resete*
    """,
    "id": """
        segment: segmen* kelompok* klaster* grup seg
        customer: pelanggan* anggota* konsumen* pembeli* nasabah* member* pelangan*
        people: orang
        women: perempuan* wanita* cewek
        men: pria lelaki laki cowok
        how many: berapa brp berapakah
        size of: ukuran
        average: rata2 rerata
        median: median
        total: total jumlah
        income: pendapatan* penghasilan* gaji* pemasukan*
        age: umur* usia*
        years: tahun
        spend: belanja* pengeluaran*
        buys: beli membeli
        score: skor* nilai
        top: top teratas
        best: terbaik
        worst: terburuk
        biggest: terbesar
        rich: kaya
        high: tinggi
        low: rendah
        best: menjanjikan potensial prospektif menguntungkan untung
        about: informasi info
        work: garap kerjakan
        first: duluan
        poor: miskin
        old: tua
        young: muda
        valuable: berharga
        loyal: loyal setia
        most: paling terbanyak
        least: tersedikit
        who: siapa
        which: mana
        what: apa
        target: target* sasar* pilih bidik* incar* arah*
        focus: fokus*
        prioritize: prioritas* utama*
        recommend: rekomendasi* sarankan saran
        retain: pertahan*
        so many: sebanyak
        should: harus sebaiknya perlu seharusnya mesti
        we: kita kami
        could: mungkin bisa dapat
        churn: hilang kehilangan kabur
        moved: pindah berpindah
        discount: diskon* potongan
        coupon: kupon
        voucher: voucher promo
        give: beri berikan kasih
        report: laporan* lapor pdf
        presentation: presentasi*
        print: cetak
        help: bantuan bantu panduan petunjuk
        commands: perintah
        compare: banding*
        changes: perubahan berubah
        difference: beda perbedaan
        month: bulan
        last: lalu sebelumnya kemarin
        chart: grafik* diagram* bagan visualisasi
        profile: profil*
        picture: gambar
        export: ekspor* export
        download: unduh* download
        excel: excel spreadsheet xlsx
        files: berkas file
        uploads: unggahan
        overview: ikhtisar
        summary: ringkasan rangkuman
        list: daftar
        all: semua seluruh
        show: tampil* tunjuk* lihat perlihatkan
        send: kirim kirimkan
        show: ceritakan jelaskan detail info
        about: tentang
        find: cari carikan temukan
        hello: halo hai hallo
        start: mulai
        thanks: makasih trims
        great: mantap bagus sip
        ok: oke ok
        number: nomor no
        in: di dalam
        by: menurut berdasarkan
        and: dan
        with: dengan
        for: untuk buat
        -: eh atas yang yg tolong mohon saya aku ada dong ya nih sih deh kok aja saja dulu sekarang
        -: apakah
        -: adalah ini itu punya coba ke dari nya kamu anda terus lalu jadi
        !: hapus* buang* lupa* bersih* kosongkan reset
    """,
}

# Phrases read before the words: "english <= pattern" (a regular expression over the folded
# message, matched as whole words). Same English marks as above.
_PHRASES = {
    "ru": r"""
        what changed <= что (?:изменилось|поменялось|нового|новенького)
        spending score <= (?:оценк|индекс|балл|рейтинг)\w* (?:трат|расход|покупок)\w*
        income <= годов\w* доход\w*
        who is <= кто (?:такой|такая|такие|такое|это)
        what is <= что за
        older than <= старше
        younger than <= (?:моложе|младше)
        over <= (?:больше|более|выше|свыше|от)(?= \d)
        under <= (?:меньше|менее|ниже|до)(?= \d)
        why <= (?:почему|зачем|отчего)
        per segment <= по (?:всем |каждому )?сегмент(?:ам|у)
        per segment <= (?:в каждом сегменте|для каждого сегмента|по группам)
        how was this found <= как (?:ты |вы |бот )?(?:наш[её]л|нашл|находил|выбрал|выбирал)\w*
        how was this found <= как (?:ты |вы |бот )?(?:разбил|разбивал|разделил|делил)\w*
        how was this found <= как (?:ты |вы |бот )?(?:определил|определял|посчитал|считал)\w*
        how was this found <= как (?:ты |вы |бот )?(?:получил|получались|построил|строил)\w*
        how was this found <= как (?:ты |вы |бот )?(?:сформировал|формировал)\w*
        how was this found <= по какому принципу
        what can you do <= что (?:\w+ ){0,2}?(?:умеешь|умеете)(?: делать)?
        what can you do <= что (?:ты |вы )?(?:можешь|можете)(?: делать)?
        how does this work <= как (?:(?:тобой|этим|ботом|им) )?пользоваться
        how does this work <= как (?:это |ты |бот )?работа(?:ет|ешь)
        how do i upload <= как (?:мне )?(?:загрузить|отправить|прислать|залить) (?:файл|данн)\w*
        hello <= (?:добр(?:ый|ое|ой) (?:день|утро|вечер)|доброго времени суток)
        thanks <= (?:большое спасибо|спасибо большое)
        best <= лучше (?:всех|всего)
        most <= (?:больше|чаще) (?:всех|всего)
        least <= (?:меньше|реже) (?:всех|всего)
        average <= в среднем
        how old <= сколько (?:им |ему |ей )?лет
        share of <= (?:какая |какой )?(?:доля|долю|процент|сколько процентов)(?: от)?
        what is the meaning of <= что (?:значит|означает|такое)
        for my boss <= для (?:моего |нашего |своего )?(?:начальник|руковод|босс|шеф)\w*
        for my boss <= для (?:моего |нашего |своего )?(?:директор|коллег|команд)\w*
        how big is <= насколько (?:велик|большой)
        ordinal 1 <= перв(?:ый|ая|ое|ом|ого|ому|ым|ую|ой)
        ordinal 2 <= втор(?:ой|ая|ое|ом|ого|ому|ым|ую)
        ordinal 3 <= трет(?:ий|ья|ье|ьем|ьего|ьему|ьим|ью|ьей)
        ordinal 4 <= четв[её]рт(?:ый|ая|ое|ом|ого|ому|ым|ую|ой)
        ordinal 5 <= пят(?:ый|ая|ое|ом|ого|ому|ым|ую|ой)
        ordinal 6 <= шест(?:ой|ая|ое|ом|ого|ому|ым|ую)
        ordinal 7 <= седьм(?:ой|ая|ое|ом|ого|ому|ым|ую)
        ordinal 8 <= восьм(?:ой|ая|ое|ом|ого|ому|ым|ую)
        ordinal 9 <= девят(?:ый|ая|ое|ом|ого|ому|ым|ую|ой)
        ordinal 10 <= десят(?:ый|ая|ое|ом|ого|ому|ым|ую|ой)
        first <= в первую очередь
        overview <= (?:общая картина|общую картину)
        number of <= общее количество
    """,
    "es": r"""
        - <= por favor
        what changed <= (?:que (?:ha )?cambiado|que cambio|que hay de nuevo)
        spending score <= (?:puntuacion(?:es)?|puntaje|indice|score) de gastos?
        income <= (?:ingresos? anual(?:es)?|salario anual)
        why <= (?:por que|porque|porqu[eé]|pq|xq)
        older than <= (?:mayores de|mas (?:viejos|grandes) que)
        younger than <= (?:menores de|mas jovenes que)
        over <= (?:mas de|por encima de|arriba de)(?= \d)
        under <= (?:menos de|por debajo de)(?= \d)
        per segment <= (?:por segmento|por grupo)
        per segment <= (?:en|para|de) cada segmento
        per segment <= (?:en|para|de) todos los segmentos
        how was this found <= como (?:se )?(?:encontr|eligi|escogi|hicist|hicier)\w*
        how was this found <= como (?:se )?(?:calcul|defini|armast|formast)\w*
        how was this found <= como (?:se )?(?:dividist|dividier|separast)\w*
        what can you do <= (?:que (?:puedes|sabes|podes) hacer|para que sirves)
        how does this work <= como (?:funciona|funcionas|se usa|te uso|lo uso|usarte)
        how do i upload <= como (?:subo|cargo|envio|mando) (?:el |un |mi |los )?(?:archivo|datos)\w*
        hello <= buen(?:os|as) (?:dias|tardes|noches)
        hello <= buen dia
        thanks <= (?:muchas|mil) gracias
        share of <= (?:que |cual es el )?(?:porcentaje|proporcion|parte)(?: de)?
        what is the meaning of <= que (?:significa|quiere decir)
        for my boss <= para (?:mi |el |la |nuestro |nuestra )?(?:jefe|jefa|gerente|equipo)
        for my boss <= para (?:mi |el |la |nuestro |nuestra )?(?:director|directora)
        how old <= (?:cuantos anos tienen|que edad tienen)
        number of <= (?:numero|cantidad) de
        how big is <= (?:que tan|cuan) grande es
        most rich <= mas (?:ricos|ricas|adinerados)
        excel <= hoja de calculo
        ordinal 1 <= primer[oa]?
        ordinal 2 <= segund[oa]
        ordinal 3 <= tercer[oa]?
        ordinal 4 <= cuart[oa]
        ordinal 5 <= quint[oa]
        ordinal 6 <= sext[oa]
        ordinal 7 <= s[eé]ptim[oa]
        ordinal 8 <= octav[oa]
        ordinal 9 <= noven[oa]
        ordinal 10 <= d[eé]cim[oa]
        moved <= (?:se movieron|cambiaron de segmento)
        we <= nosotros
        overview <= (?:vision|panorama) general
    """,
    "pt_BR": r"""
        - <= (?:por favor|por gentileza)
        what changed <= (?:o que mudou|que mudou|o que ha de novo|o que tem de novo)
        spending score <= (?:pontuacao|indice|score) de (?:gastos?|consumo)
        income <= (?:renda|salario|rendimento) anual
        why <= (?:por que|porque|por qual motivo|pq)
        who is <= quem (?:e|eh)
        older than <= (?:maiores de|mais velh\w* (?:que|do que))
        younger than <= (?:menores de|mais nov\w* (?:que|do que)|mais jove\w* (?:que|do que))
        over <= (?:mais de|acima de)(?= \d)
        under <= (?:menos de|abaixo de)(?= \d)
        most young <= mais (?:novos|novas|jovens)
        per segment <= (?:por segmento|por grupo)
        per segment <= (?:em|para|de) cada segmento
        per segment <= (?:em|para|de) todos os segmentos
        how was this found <= como (?:voce |vc |tu )?(?:se )?(?:encontrou|achou|escolheu)\w*
        how was this found <= como (?:voce |vc |tu )?(?:se )?(?:definiu|calculou|fez)\w*
        how was this found <= como (?:voce |vc |tu )?(?:se )?(?:montou|chegou)\w*
        how was this found <= como (?:voce |vc |tu )?(?:dividiu|separou)\w*
        how was this found <= como (?:os |esses |estes )?segmentos foram
        what can you do <= o que (?:voce |vc |tu )?(?:pode|sabe|consegue) fazer
        what can you do <= pra que (?:voce )?serve
        how does this work <= como (?:isso |isto |voce |o bot )?funciona
        how does this work <= como (?:eu )?(?:uso|usar|te uso)
        how do i upload <= como (?:eu )?(?:envio|mando|subo|carrego) (?:o |um |meu |os )?arquivo\w*
        how do i upload <= como (?:eu )?(?:envio|mando|subo|carrego) (?:os |meus )?dados
        hello <= (?:bom dia|boa tarde|boa noite)
        thanks <= muito obrigad[oa]
        share of <= (?:qual (?:e )?(?:a )?)?(?:porcentagem|percentagem|proporcao|parcela)(?: de)?
        what is the meaning of <= o que (?:significa|quer dizer)
        for my boss <= (?:para|pra|pro) (?:o |a )?(?:meu |minha |nosso |nossa )?(?:chefe|gerente)
        for my boss <= (?:para|pra|pro) (?:o |a )?(?:meu |minha |nosso |nossa )?(?:equipe|time)
        for my boss <= (?:para|pra|pro) (?:o |a )?(?:meu |minha |nosso |nossa )?diretor\w*
        how old <= (?:quantos anos (?:eles )?tem|que idade tem)
        number of <= (?:numero|quantidade) de
        we <= a gente
        should <= vale a pena
        overview <= (?:visao|panorama) geral
        show <= me (?:da|de)
        ordinal 1 <= primeir[oa]
        ordinal 2 <= segund[oa]
        ordinal 3 <= terceir[oa]
        ordinal 4 <= quart[oa]
        ordinal 5 <= quint[oa]
        ordinal 6 <= sext[oa]
        ordinal 7 <= setim[oa]
        ordinal 8 <= oitav[oa]
        ordinal 9 <= non[oa]
        ordinal 10 <= decim[oa]
        moved <= mudaram de segmento
    """,
    "id": r"""
        what changed <= (?:apa (?:saja )?yang (?:berubah|baru)|ada perubahan apa)
        spending score <= (?:skor|nilai) (?:belanja|pengeluaran|pembelian)
        income <= (?:pendapatan|penghasilan|gaji) tahunan
        why <= (?:kenapa|mengapa|knp|napa)
        older than <= (?:lebih tua dari|(?:di atas|diatas) (?:umur|usia))
        older than <= (?:berumur|berusia|umur|usia) (?:di atas|diatas)
        younger than <= (?:lebih muda dari|(?:di bawah|dibawah) (?:umur|usia))
        younger than <= (?:berumur|berusia|umur|usia) (?:di bawah|dibawah)
        over <= (?:lebih dari|di atas|diatas)(?= \d)
        under <= (?:kurang dari|di bawah|dibawah)(?= \d)
        per segment <= (?:per|tiap|setiap|masing-masing|tiap-tiap) segmen
        per segment <= per kelompok
        per segment <= (?:di|untuk|dari) semua segmen
        how was this found <= (?:bagaimana|gimana) [\w ]{0,24}(?:ditemukan|dibuat|dipilih)
        how was this found <= (?:bagaimana|gimana) [\w ]{0,24}(?:ditentukan|dibentuk)
        how was this found <= cara menemukan
        how was this found <= (?:bagaimana|gimana) (?:kamu |anda )?(?:membagi|memisahkan)
        how was this found <= (?:bagaimana|gimana) (?:kamu |anda )?mengelompokkan
        who is <= siapa(?= #?\d| pelanggan| anggota| konsumen| pembeli| nasabah)
        what can you do <= apa (?:saja )?yang bisa (?:kamu |anda |kau )?(?:lakukan|kerjakan)
        what can you do <= (?:kamu )?bisa apa(?: saja)?
        how does this work <= (?:bagaimana|gimana) (?:cara )?(?:pakai|memakai|menggunakan|pake)\w*
        how does this work <= cara (?:pakai|memakai|menggunakan|pake)\w*
        how does this work <= (?:bagaimana|gimana) (?:ini|bot ini) bekerja
        how does this work <= cara kerja\w*
        how do i upload <= (?:bagaimana|gimana) (?:cara )?(?:mengunggah|unggah) (?:file|data|berkas)
        how do i upload <= (?:bagaimana|gimana) (?:cara )?upload (?:file|data|berkas)
        how do i upload <= (?:bagaimana|gimana) (?:cara )?(?:kirim|mengirim) (?:file|data|berkas)
        hello <= selamat (?:pagi|siang|sore|malam)
        thanks <= (?:terima kasih|makasih)(?: banyak)?
        share of <= (?:berapa )?(?:persen|persentase|proporsi)(?: dari)?
        what is the meaning of <= (?:apa (?:arti|maksud)(?:nya)?|arti dari|maksud dari)
        for my boss <= (?:untuk|buat) (?:bos|atasan|manajer|direktur|tim|pimpinan)\w*
        average <= (?:rata-rata|rata2)
        men <= (?:laki-laki|laki2)
        most <= paling banyak
        highest <= (?:paling tinggi|tertinggi)
        lowest <= (?:paling rendah|terendah)
        least <= paling sedikit
        how old <= (?:berapa (?:umur|usia)|(?:umur|usia) berapa)
        how big is <= seberapa besar
        overview <= gambaran umum
        so many <= banyak (?:sekali|banget)
        ordinal 1 <= pertama
        ordinal 2 <= kedua
        ordinal 3 <= ketiga
        ordinal 4 <= keempat
        ordinal 5 <= kelima
        ordinal 6 <= keenam
        ordinal 7 <= ketujuh
        ordinal 8 <= kedelapan
        ordinal 9 <= kesembilan
        ordinal 10 <= kesepuluh
        win back <= (?:merebut|mendapatkan) kembali
    """,
}

#: English adjectives read after "most": "самые богатые" -> "most rich" -> "richest".
_SUPERLATIVES = {
    "rich": "richest",
    "old": "oldest",
    "young": "youngest",
    "poor": "poorest",
    "big": "biggest",
    "high": "highest",
    "low": "lowest",
}
#: Words the question rules read as "the top of a ranking" (see ``_TOP_WORDS`` there).
_RANKS = r"top|best|worst|richest|oldest|youngest|poorest|biggest|most valuable|most loyal"

#: Indonesian affixes, tried when a word is not known as it is ("ditarget", "pelanggannya").
_ID_PREFIXES = ("meng", "meny", "mem", "men", "me", "di", "ber", "ter", "per", "pe")
_ID_SUFFIXES = ("nya", "kan", "lah", "kah", "pun", "mu", "ku")
#: Russian plural endings of "customer" and "segment": "покупателей" is "customers".
_RU_PLURAL = re.compile(r"(?:ей|и|ы|ам|ах|ами|ов)$")
#: Spanish and Portuguese plurals of the same nouns.
_PLURAL = re.compile(r"(?:es|s)$")

_LETTER = re.compile(r"[^\W\d_]")
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
#: Joins the words of a phrase already read as English, so they are not read again.
_SAID = "\x02"
#: Marks of a Spanish or Portuguese message seen before accents are folded away.
_MARKS = {"es": re.compile(r"[ñ¿¡]"), "pt_BR": re.compile(r"[ãõçêô]")}


def fold(text: str) -> str:
    """Lower case, accents dropped from Latin letters (Cyrillic kept), ё read as е."""
    text = text.lower().replace("ё", "е")
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFD", text)
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch) or ch == "\u0306")
    return unicodedata.normalize("NFC", kept)


@dataclass(frozen=True)
class _Language:
    """One language's lists, folded."""

    words: dict[str, str]  # whole word -> English ("" drops it, "!" is deleting)
    stems: dict[str, str]  # stem -> English
    longest: int  # the longest stem's length
    phrases: re.Pattern[str]  # every phrase, one named group each
    said: dict[str, str]  # group name -> the phrase's English, joined by _SAID


@cache
def _language(lang: str) -> _Language:
    """A language's lists, read once."""
    words: dict[str, str] = {}
    stems: dict[str, str] = {}
    for line in _WORDS[lang].strip().splitlines():
        english, _, items = line.strip().partition(": ")
        english = "" if english == "-" else english
        for item in items.split():
            if item.endswith("*"):
                stems.setdefault(fold(item[:-1]), english)
            else:
                words.setdefault(fold(item), english)
    for word, n in NUMBER_WORDS_BY_LANGUAGE[lang].items():
        words.setdefault(fold(word), str(n))
    groups: list[str] = []
    said: dict[str, str] = {}
    for number, line in enumerate(_PHRASES[lang].strip().splitlines()):
        english, _, pattern = line.strip().partition(" <= ")
        groups.append(f"(?P<p{number}>{pattern})")
        said[f"p{number}"] = "" if english == "-" else _SAID + english.replace(" ", _SAID)
    phrases = re.compile(r"(?<!\w)(?:" + "|".join(groups) + r")(?!\w)")
    return _Language(words, stems, max(map(len, stems)), phrases, said)


@dataclass(frozen=True)
class Reading:
    """A message read as English.

    Attributes:
        english: The words in English (unknown words kept as they are).
        language: The language the message was read in.
        known: How many of its words the lists know (fillers included).
        unknown: How many words no list knows (numbers and ids not counted).
        deleting: Whether it speaks of deleting, forgetting or clearing something.
    """

    english: str
    language: str
    known: int
    unknown: int
    deleting: bool


def _guess(folded: str, raw: str, tokens: list[str]) -> str:
    """The language a message is most likely in (by how many of its words each one knows)."""
    if _CYRILLIC.search(folded):
        return "ru"
    best, score = "es", -1.0
    for lang in LANGUAGES[1:]:
        table = _language(lang)
        hits = sum(1.0 for token in tokens if token in table.words)
        hits += 0.5 * sum(1 for token in tokens if _stem_of(token, table) is not None)
        mark = _MARKS.get(lang)
        if mark is not None and mark.search(raw):
            hits += 1.5
        if hits > score:
            best, score = lang, hits
    return best


def _stem_of(word: str, table: _Language) -> str | None:
    """The longest stem of ``table`` that ``word`` starts with, or ``None``."""
    for size in range(min(len(word), table.longest), 2, -1):
        if word[:size] in table.stems:
            return word[:size]
    return None


def _known(word: str, table: _Language) -> str | None:
    """A word's English from one language's lists, or ``None``."""
    english = table.words.get(word)
    if english is not None:
        return english
    stem = _stem_of(word, table)
    if stem is None:
        return None
    english = table.stems[stem]
    if english in ("customer", "segment"):
        rest = word[len(stem) :]
        cyrillic = "а" <= word[:1] <= "я"
        if (cyrillic and _RU_PLURAL.search(rest)) or (not cyrillic and _PLURAL.search(rest)):
            return english + "s"
    return english


def _indonesian(word: str, table: _Language) -> str | None:
    """An Indonesian word read without its affixes: "ditarget", "terkaya", "pelanggannya"."""
    for suffix in _ID_SUFFIXES:
        if word.endswith(suffix) and len(word) > len(suffix) + 3:
            found = _known(word[: -len(suffix)], table)
            if found is not None:
                return found
            word = word[: -len(suffix)]
            break
    for prefix in _ID_PREFIXES:
        if word.startswith(prefix) and len(word) > len(prefix) + 2:
            rest = word[len(prefix) :]
            found = _known(rest, table) or (_known("s" + rest, table) if prefix == "meny" else None)
            if found is not None:
                if prefix == "ter" and found in _SUPERLATIVES:
                    return "most " + found
                return found
    return None


@lru_cache(maxsize=8192)
def _word(word: str, lang: str) -> str | None:
    """One folded word in English: its own language's lists first, then the others', then a
    slip of the keyboard; ``None`` when no list knows it."""
    order = (lang, *(other for other in LANGUAGES if other != lang))
    for each in order:
        found = _known(word, _language(each))
        if found is not None:
            return found
    if lang == "id" or word.isascii():
        found = _indonesian(word, _language("id"))
        if found is not None:
            return found
    if len(word) >= 4:
        return _misspelt(word, lang)
    return None


@cache
def _candidates(lang: str) -> dict[str, tuple[tuple[str, str, bool], ...]]:
    """First letter -> (word or stem, English, whole word only) of one language, for typos."""
    table = _language(lang)
    found: dict[str, list[tuple[str, str, bool]]] = {}
    for words, whole in ((table.words, True), (table.stems, False)):
        for text, english in words.items():
            if english and english != "!" and len(text) >= 4 and not english.isdigit():
                found.setdefault(text[0], []).append((text, english, whole))
    return {letter: tuple(items) for letter, items in found.items()}


def _misspelt(word: str, lang: str) -> str | None:
    """The English of a word or stem ``word`` is one slip away from ("женшин", "segmneto",
    "qaul"): one letter wrong, missing, added or two swapped; ``None`` when there is none.
    Never a word of deleting."""
    for text, english, whole in _candidates(lang).get(word[0], ()):
        if whole:
            if _one_slip(word, text, wrong=len(text) >= 6):
                return english
        elif len(text) >= 5 and len(text) - 1 <= len(word) <= len(text) + 5:
            wrong = len(text) >= 6
            if any(_one_slip(word[: len(text) + d], text, wrong) for d in (-1, 0, 1)):
                return english
    return None


def _one_slip(a: str, b: str, wrong: bool = True) -> bool:
    """Whether ``a`` and ``b`` differ by one letter missing or added, two swapped, or (when
    ``wrong``) one letter wrong; a short word is too often another word one letter away."""
    if a == b or abs(len(a) - len(b)) > 1:
        return a == b
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        swapped = a[i + 1 : i + 2] == b[i : i + 1] and a[i : i + 1] == b[i + 1 : i + 2]
        return (wrong and a[i + 1 :] == b[i + 1 :]) or (swapped and a[i + 2 :] == b[i + 2 :])
    if len(b) <= 4:
        return False  # "umr" is not "umur"
    if len(a) < len(b):
        return a[i:] == b[i + 1 :]
    return a[i + 1 :] == b[i:]


def _said(said: dict[str, str], found: re.Match[str]) -> str:
    """A phrase's English, in place of the phrase."""
    return f" {said[found.lastgroup or '']} "


def read(message: str) -> Reading:
    """``message`` read word by word as the English the question rules understand."""
    # Portuguese "é" (is) is not "e" (and) once accents are folded away.
    text = fold(re.sub(r"(?<!\w)[éÉ](?!\w)", "eh", message))
    # Ids keep the case they were typed in ("C-0042").
    typed = {fold(token): token for token in re.findall(r"[\w\-]*\d[\w\-]*", message)}
    text = re.sub(r"[¿¡«»“”\"?!,;:()]", " ", text)
    text = re.sub(r"№|(?<!\w)n[º°]", " number ", text)
    text = re.sub(r"[º°ª]", " ", text)
    # "3er", "ke-3", "segmen-segmennya"
    text = re.sub(r"(?<=\d)(?:er|ero|era|ro|ra|do|da|to|ta|o|a)(?!\w)|(?<!\w)ke-?(?=\d)", " ", text)
    text = re.sub(r"(?<!\w)(\w+)-\1", r"\1", text)
    text = re.sub(r"(?<=[а-я])-(?=\d)|(?<=\d)-?(?:й|я|е|м|ом|го|ого|ой)(?!\w)", " ", text)
    raw_tokens = text.split()
    lang = _guess(text, message.lower(), raw_tokens)
    order = (lang, *(other for other in LANGUAGES if other != lang))
    for each in order:
        text = _language(each).phrases.sub(partial(_said, _language(each).said), text)
    deleting = False
    words: list[str] = []
    known = unknown = 0
    for token in text.split():
        core = token.strip(".-")
        if not core:
            continue
        if core.startswith(_SAID):
            words.append(core.replace(_SAID, " ").strip())  # a phrase already in English
            known += 1
            continue
        if not _LETTER.search(core) or core.startswith(("#", "/")):
            words.append(core)  # numbers, ids, commands
            continue
        if core in typed and any(ch.isdigit() for ch in core):
            words.append(typed[core])  # an id such as "C-0042"
            continue
        english = _word(core, lang)
        if english is None:
            unknown += 1
            words.append(core)
            continue
        known += 1
        if english == "!":
            deleting = True
        elif english:
            words.append(english)
    return Reading(_tidy(" ".join(words)), lang, known, unknown, deleting)


#: "самые богатые", "más ricos", "terkaya": "most rich", read as "richest".
_MOST = re.compile(r"\bmost (" + "|".join(_SUPERLATIVES) + r")\b")
#: How the words are put in the order the English rules read them: (pattern, replacement).
_ORDER = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"\bmost (best|top)\b", r"\1"),
        # "los clientes mayores", "клиенты богатые": the oldest, the richest
        (r"\b(customers?) (old|young|rich|poor)\b", r"\2est \1"),
        # "los clientes más ricos", "10 лучших клиентов", "5 pelanggan terbaik"
        (rf"\b(customers?) ({_RANKS})\b", r"\2 \1"),
        (rf"\b(\d{{1,3}}) (customers? )?({_RANKS})\b", r"\3 \1 \2"),
        # "кто больше всех тратит": "who spends most"
        (r"\bwho (most|least) (spend|buys|earns)\b", r"who \2 \1"),
        # "у кого самый высокий доход", "siapa yang penghasilannya paling tinggi"
        (r"\bwho (income|age|score|spending score) (highest|lowest)\b", r"who \2 \1"),
        (r"\bwho (highest|lowest)\b", r"who has the \1"),
        # "кого стоит удержать", "¿a quién conviene retener?": "who should we retain"
        (r"\bwho should\b(?! we)", "who should we"),
        (r"\b(customers?) with (highest|lowest) (\w+)", r"\2 \3 \1"),
        # "cliente con id 77", "y quién es 15", "сколько всего женщин"
        (r"\b(customers?) with (id|number)\b", r"\1 \2"),
        (r"^(?:and|so|then|but) ", ""),
        # "спасибо за помощь", "gracias por la ayuda": thanks, not a call for help
        (r"^thanks (?:by |for )?help$", "thanks"),
        # "¿qué cliente es el 2024?", "total pelanggan kita berapa?"
        (r"\b(customers?) is (?=#?\w*\d)", r"\1 "),
        (r"^(.+) how many$", r"how many \1"),
        (r"^show (?=why\b)", ""),
        (r"\bhow many total\b", "how many"),
        # "в 4 сегменте", "в третьем сегменте", "segmen ketiga": "in segment 3"
        (r"\bin (\d{1,3}) segment\b(?! \d)", r"in segment \1"),
        (r"\bordinal (\d+) (segments?)\b", r"segment \1"),
        (r"\b(segments?) ordinal (\d+)\b", r"segment \2"),
        (r"\bordinal 1\b", "first"),
        (r"\bordinal \d+\b", ""),
        (r"\btotal (women|men)\b", r"number of \1"),
        # "rata-rata pendapatan semua segmen": in each segment
        (r"(?<=\w) all (segments?)\b", r" per \1"),
        # "segmen apa", "какой сегмент лучший": "which best segment"
        (r"\b(segments?) (what|which)\b", r"\2 \1"),
        (r"\b(segments?) (best|top)\b(?! \d)", r"\2 \1"),
        # "с каким сегментом работать в первую очередь": which segment comes first
        (r"\b(?:which|what) (segments?)\b(?=.*\b(?:work|first)\b)", r"which \1 should"),
    )
)


def _tidy(english: str) -> str:
    """Put the words in the order the English rules read them."""
    english = _MOST.sub(lambda found: _SUPERLATIVES[found.group(1)], english)
    for pattern, replacement in _ORDER:
        english = pattern.sub(replacement, english)
    return " ".join(english.split())


def to_english(message: str) -> str:
    """``message`` read word by word as English (see :func:`read`)."""
    return read(message).english


_FOREIGN = re.compile(
    r"[а-яё]|[áéíóúñãõçâêôà¿¡]|\b(?:segmen|pelanggan|segmento|segmentos|cliente|clientes|berapa|"
    r"siapa|quien|quem|cuantos|cuantas|quantos|quantas|mujeres|mulheres|hombres|homens|"
    r"perempuan|yang|apa|bagaimana|kenapa|mengapa|tolong|saya|kami|kita|qual|cual|que|los|las|"
    r"del|por|para|mostre|muestra|ayuda|ajuda|informe|relatorio|laporan|bantuan|tampilkan|"
    r"una|voce|nao|tem|meu|minha|meus|ini|itu|dari|untuk|dengan|bisa|tidak|"
    r"gimana|cara|dong|aja|banget|nggak|enggak|gak|juga|udah|sudah|belum|mau|kasih|hola|gracias|"
    r"cuanto|esta|este|tiene|muy|ola|obrigado|tudo|pra|pro|cade|isso|"
    r"hapus|buang|lupakan|bersihkan|borrar|borra|borre|eliminar|elimina|olvida|limpiar|apagar|"
    r"apaga|apague|excluir|exclui|exclua|esquece|limpar|limpa|zerar|zera|resetea|resetear)\b",
    re.IGNORECASE,
)


def looks_foreign(message: str) -> bool:
    """Whether ``message`` may be in one of the languages read here (a cheap test)."""
    return bool(_FOREIGN.search(message))
